package dev.engagement.gateway.contract;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Validates JSON against a {@code $defs} entry of the public contract.json, with the same
 * networknt engine that camel-json-validator uses. It is called as a bean rather than through
 * the json-validator endpoint because the contract needs every violation as a JSON pointer
 * (RFC 6901) into the request, and a {@code $defs} entry rather than the whole document.
 */
public class ContractValidator {

    /** The contract's {@code $id}; resolved to the packaged contract.json, never fetched. */
    public static final String CONTRACT_ID = "https://engagement-gateway.dev/contract.json";

    private final ObjectMapper mapper;
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;
    private final ConcurrentMap<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    public ContractValidator(ObjectMapper mapper) {
        this.mapper = mapper;
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(m -> m.mapPrefix("https://engagement-gateway.dev/", "classpath:")));
        this.config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
        schema("EngagementRequest"); // fail at start-up, not on the first request, if the contract is broken
    }

    /** Parses and validates an agent's request body; throws VALIDATION_FAILED listing every violation. */
    public EngagementRequest readRequest(byte[] body) {
        JsonNode node = parse(body);
        List<Violation> violations = violations("EngagementRequest", node);
        if (!violations.isEmpty()) {
            throw EngagementFailure.validation(violations);
        }
        return mapper.convertValue(node, EngagementRequest.class);
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
        Set<ValidationMessage> messages = schema(definition).validate(node);
        List<Violation> out = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            out.add(new Violation(pointerOf(m), m.getError()));
        }
        out.sort(Comparator.comparing(Violation::pointer).thenComparing(Violation::message));
        return out;
    }

    private JsonSchema schema(String definition) {
        return schemas.computeIfAbsent(definition,
                d -> factory.getSchema(SchemaLocation.of(CONTRACT_ID + "#/$defs/" + d), config));
    }

    /** For "required" and "additionalProperties" the pointer names the property itself, not its parent. */
    private static String pointerOf(ValidationMessage m) {
        String at = m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
        if (at.equals("/") ) {
            at = "";
        }
        String type = m.getType();
        if (m.getProperty() != null && ("required".equals(type) || "additionalProperties".equals(type))) {
            return at + "/" + m.getProperty().replace("~", "~0").replace("/", "~1");
        }
        return at;
    }
}
