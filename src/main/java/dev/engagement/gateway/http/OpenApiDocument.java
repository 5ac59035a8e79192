package dev.engagement.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * {@code GET /openapi.json}: the HTTP API (openapi/openapi.json) with its body schemas taken from
 * contract.json's {@code $defs} when the gateway starts, so the two can never disagree.
 */
public class OpenApiDocument {

    private final JsonNode document;

    public OpenApiDocument(ObjectMapper mapper) throws IOException {
        ObjectNode doc = (ObjectNode) read(mapper, "/openapi/openapi.json");
        JsonNode defs = read(mapper, "/contract.json").path("$defs");
        ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas");
        for (Iterator<Map.Entry<String, JsonNode>> it = defs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> def = it.next();
            schemas.set(def.getKey(), rewriteRefs(def.getValue().deepCopy()));
        }
        this.document = doc;
    }

    public JsonNode document() {
        return document;
    }

    private static JsonNode rewriteRefs(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.asText().startsWith("#/$defs/")) {
                object.set("$ref", TextNode.valueOf("#/components/schemas/" + ref.asText().substring("#/$defs/".length())));
            }
            object.fields().forEachRemaining(e -> rewriteRefs(e.getValue()));
        } else if (node.isArray()) {
            node.forEach(OpenApiDocument::rewriteRefs);
        }
        return node;
    }

    private static JsonNode read(ObjectMapper mapper, String resource) throws IOException {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return mapper.readTree(in);
        }
    }
}
