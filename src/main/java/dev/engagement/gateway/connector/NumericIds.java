package dev.engagement.gateway.connector;

import java.util.Map;
import java.util.regex.Pattern;

import dev.engagement.gateway.mcpserver.ToolError;

/** X, Threads and Instagram ids are decimal numbers: anything else names nothing there, and the API is not asked. */
public final class NumericIds {

    private static final Pattern ID = Pattern.compile("\\d{1,30}");

    private NumericIds() {
    }

    public static String require(Map<String, Object> args, String argument, String kind) {
        String id = ConnectorTool.text(args, argument);
        if (!ID.matcher(id).matches()) {
            throw new ToolError("NOT_FOUND", "'" + id + "' is not a " + kind + " id (they are numbers): not found", null);
        }
        return id;
    }
}
