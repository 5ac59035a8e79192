package dev.engagement.gateway.contract;

import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jsonvalidator.JsonUriSchemaLoader;
import org.apache.camel.support.ResourceHelper;

/**
 * How the {@code json-validator:} endpoint loads a schema: JSON Schema 2020-12, the contract's {@code $id}
 * ({@value #CONTRACT_ID}) resolved to the packaged contract.json and never fetched, and every violation
 * located by a JSON pointer (RFC 6901) into the request, as the contract's answers report it.
 */
public class ContractSchemas implements JsonUriSchemaLoader {

    /** The contract's {@code $id}; resolved to the packaged contract.json, never fetched. */
    public static final String CONTRACT_ID = "https://engagement-gateway.dev/contract.json";

    private final ObjectMapper mapper;
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;

    public ContractSchemas(ObjectMapper mapper) {
        this.mapper = mapper;
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(m -> m.mapPrefix("https://engagement-gateway.dev/", "classpath:")));
        this.config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
    }

    @Override
    public JsonSchema createSchema(CamelContext camelContext, String schemaUri) throws Exception {
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext, schemaUri)) {
            JsonNode node = mapper.readTree(in);
            JsonSchema schema = factory.getSchema(SchemaLocation.of(schemaUri.startsWith("classpath:") ? schemaUri
                    : "classpath:" + schemaUri), node, config);
            schema.initializeValidators(); // a broken $ref fails at start-up, not on the first request
            return schema;
        }
    }

    /** The schema of one {@code $defs} entry of the contract (e.g. EngagementResult). */
    public JsonSchema definition(String name) {
        return factory.getSchema(SchemaLocation.of(CONTRACT_ID + "#/$defs/" + name), config);
    }
}
