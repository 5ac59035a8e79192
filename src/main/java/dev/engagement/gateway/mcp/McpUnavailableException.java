package dev.engagement.gateway.mcp;

/** A platform's MCP server has no session to call on: not connected yet, or lost and being reconnected. */
public class McpUnavailableException extends RuntimeException {

    public McpUnavailableException(String platform, String where, String why) {
        super("The " + platform + " MCP server (" + where + ") is " + why, null, false, false);
    }
}
