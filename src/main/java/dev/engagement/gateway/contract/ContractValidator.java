package dev.engagement.gateway.contract;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;

/**
 * The contract's reading of JSON: a request body that the {@code json-validator:} endpoint has passed,
 * as an {@link EngagementRequest}; any body as a JSON document (malformed JSON is a VALIDATION_FAILED
 * saying where); and the violations of any {@code $defs} entry (for answers and tests).
 */
public class ContractValidator {

    private final ObjectMapper mapper;
    private final ContractSchemas schemas;
    private final ConcurrentMap<String, JsonSchema> definitions = new ConcurrentHashMap<>();

    public ContractValidator(ObjectMapper mapper) {
        this.mapper = mapper;
        this.schemas = new ContractSchemas(mapper);
    }

    /** A request body the contract's schema has passed (routes/engagement-flow.yaml validates it first). */
    public EngagementRequest request(byte[] body) {
        try {
            return mapper.readValue(body, EngagementRequest.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A request that passed the contract cannot be read: " + e.getMessage(), e);
        }
    }

    public JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw EngagementFailure.validation(List.of(new Violation("", "request body is empty; expected a JSON object")));
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw EngagementFailure.validation(List.of(new Violation("", "request body is empty; expected a JSON object")));
            }
            return node;
        } catch (JsonProcessingException e) {
            String detail = e.getOriginalMessage();
            if (e.getLocation() != null) {
                detail += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            }
            throw EngagementFailure.validation(List.of(new Violation("", "malformed JSON: " + detail)));
        } catch (java.io.IOException e) {
            throw EngagementFailure.validation(List.of(new Violation("", "unreadable body: " + e.getMessage())));
        }
    }

    /** Every violation of {@code $defs/<definition>} by the node, sorted by pointer; empty when valid. */
    public List<Violation> violations(String definition, JsonNode node) {
        return ContractViolations.of(definitions.computeIfAbsent(definition, schemas::definition).validate(node));
    }
}
