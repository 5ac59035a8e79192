package dev.engagement.gateway.contract;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The platforms and actions the public contract names ({@code $defs.Platform} and {@code $defs.Action}
 * of contract.json): the one list of them. Configuration, routes and checks follow it; a platform is
 * added by adding it here and giving it its settings and its routes.
 */
public record Vocabulary(List<String> platforms, List<String> actions) {

    public Vocabulary {
        platforms = List.copyOf(platforms);
        actions = List.copyOf(actions);
    }

    /** Read from the packaged contract.json. */
    public static Vocabulary fromContract(ObjectMapper mapper) {
        try (InputStream in = Vocabulary.class.getResourceAsStream("/contract.json")) {
            if (in == null) {
                throw new IllegalStateException("contract.json is missing from the classpath");
            }
            JsonNode defs = mapper.readTree(in).path("$defs");
            return new Vocabulary(enumOf(defs, "Platform"), enumOf(defs, "Action"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read contract.json: " + e.getMessage(), e);
        }
    }

    private static List<String> enumOf(JsonNode defs, String name) {
        List<String> values = new ArrayList<>();
        defs.path(name).path("enum").forEach(v -> values.add(v.asText()));
        if (values.isEmpty()) {
            throw new IllegalStateException("contract.json has no $defs." + name + ".enum");
        }
        return values;
    }
}
