package dev.engagement.gateway.mcp;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/** Where a platform's MCP server is: a Streamable HTTP URL, or a command that speaks MCP on stdio. */
public record McpEndpoint(String platform, URI url, List<String> command) {

    public static McpEndpoint http(String platform, String url) {
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("MCP url for " + platform + " must be absolute (http://host:port/path): " + url);
        }
        return new McpEndpoint(platform, uri, null);
    }

    public static McpEndpoint stdio(String platform, String commandLine) {
        List<String> parts = Arrays.stream(commandLine.trim().split("\\s+")).toList();
        return new McpEndpoint(platform, null, parts);
    }

    public boolean isHttp() {
        return url != null;
    }

    /**
     * Where the server is, safe for a log line or an agent's error message: an http URL without user info or query,
     * or only the program a stdio server is started with (its arguments may hold secrets, such as a connector's -D token).
     */
    public String describe() {
        if (isHttp()) {
            return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + (url.getPath() == null ? "" : url.getPath());
        }
        return "stdio: " + command.get(0);
    }
}
