package dev.engagement.gateway.connector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.engagement.gateway.mcpserver.ToolError;

/** One tool a connector lists: its name (the skill's, where the skill has one), its input schema, and what it does. */
public record ConnectorTool(String name, String description, Map<String, Object> inputSchema,
                            Function<Map<String, Object>, Map<String, Object>> call) {

    /** A tool whose arguments are all required strings: {@code argumentsAndDescriptions} is name, description, name, ... */
    public static ConnectorTool of(String name, String description, Function<Map<String, Object>, Map<String, Object>> call,
                                   String... argumentsAndDescriptions) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (int i = 0; i + 1 < argumentsAndDescriptions.length; i += 2) {
            props.put(argumentsAndDescriptions[i], Map.of("type", "string", "minLength", 1, "description", argumentsAndDescriptions[i + 1]));
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", props);
        schema.put("required", List.copyOf(props.keySet()));
        return new ConnectorTool(name, description, schema, call);
    }

    /** A required string argument (the schema already asked for it; a blank one is refused all the same). */
    public static String text(Map<String, Object> arguments, String name) {
        Object v = arguments == null ? null : arguments.get(name);
        if (v == null || String.valueOf(v).isBlank()) {
            throw new ToolError("INVALID_ARGUMENT", "Missing argument " + name, null);
        }
        return String.valueOf(v).trim();
    }
}
