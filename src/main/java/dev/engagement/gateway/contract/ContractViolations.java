package dev.engagement.gateway.contract;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.JsonValidatorErrorHandler;

/**
 * What the {@code json-validator:} endpoint does with a request that breaks the contract: one
 * VALIDATION_FAILED listing every violation with its JSON pointer (malformed JSON included, with where
 * it breaks), which the intake answers (HTTP 400, or the Kafka dead-letter topic).
 */
public class ContractViolations implements JsonValidatorErrorHandler {

    @Override
    public void handleErrors(Exchange exchange, JsonSchema schema, Set<ValidationMessage> errors) {
        throw EngagementFailure.validation(of(errors));
    }

    @Override
    public void handleErrors(Exchange exchange, JsonSchema schema, Exception e) {
        if (e instanceof EngagementFailure f) {
            throw f;
        }
        if (e instanceof JsonProcessingException j) {
            String detail = j.getOriginalMessage();
            if (j.getLocation() != null) {
                detail += " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
            }
            throw EngagementFailure.validation(List.of(new Violation("", "malformed JSON: " + detail)));
        }
        throw EngagementFailure.validation(List.of(new Violation("", "unreadable body: " + e.getMessage())));
    }

    /** Every violation, sorted by pointer. */
    public static List<Violation> of(Set<ValidationMessage> messages) {
        List<Violation> out = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            out.add(new Violation(pointerOf(m), m.getError()));
        }
        out.sort(Comparator.comparing(Violation::pointer).thenComparing(Violation::message));
        return out;
    }

    /** For "required" and "additionalProperties" the pointer names the property itself, not its parent. */
    private static String pointerOf(ValidationMessage m) {
        String at = m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
        if (at.equals("/")) {
            at = "";
        }
        String type = m.getType();
        if (m.getProperty() != null && ("required".equals(type) || "additionalProperties".equals(type))) {
            return at + "/" + m.getProperty().replace("~", "~0").replace("/", "~1");
        }
        return at;
    }
}
