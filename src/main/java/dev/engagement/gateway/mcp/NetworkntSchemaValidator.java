package dev.engagement.gateway.mcp;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

/**
 * The MCP SDK's JSON-schema validator, on the networknt 1.5 engine that Camel already brings.
 * The SDK's default validator needs networknt 2.x classes that are not on the classpath, so
 * every MCP client and server here is built with this one.
 */
public class NetworkntSchemaValidator implements JsonSchemaValidator {

    private final ObjectMapper mapper;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<Map<String, Object>, JsonSchema> cache = new ConcurrentHashMap<>();

    public NetworkntSchemaValidator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object content) {
        try {
            JsonSchema compiled = cache.computeIfAbsent(schema, s -> factory.getSchema(mapper.valueToTree(s)));
            JsonNode node = content instanceof JsonNode n ? n : mapper.valueToTree(content);
            Set<ValidationMessage> errors = compiled.validate(node);
            if (errors.isEmpty()) {
                return ValidationResponse.asValid(mapper.writeValueAsString(node));
            }
            return ValidationResponse.asInvalid(errors.stream().map(ValidationMessage::getMessage)
                    .sorted().collect(Collectors.joining("; ")));
        } catch (Exception e) {
            return ValidationResponse.asInvalid("schema validation failed: " + e.getMessage());
        }
    }
}
