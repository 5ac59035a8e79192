package dev.engagement.gateway.mcpserver;

import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;

/** A tool's answer as MCP wants it: the structured content plus its JSON as text, flagged as an error for a {@link ToolError}. */
public final class ToolResults {

    private ToolResults() {
    }

    /** Runs the call; its result, or its {@link ToolError}, as the tool's answer. */
    public static McpSchema.CallToolResult answer(ObjectMapper mapper, Supplier<Map<String, Object>> call) {
        Map<String, Object> body;
        boolean error = false;
        try {
            body = call.get();
        } catch (ToolError e) {
            body = e.body();
            error = true;
        }
        try {
            return McpSchema.CallToolResult.builder()
                    .structuredContent(body)
                    .addTextContent(mapper.writeValueAsString(body))
                    .isError(error)
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
