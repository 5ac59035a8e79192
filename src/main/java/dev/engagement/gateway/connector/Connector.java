package dev.engagement.gateway.connector;

import java.util.List;

/**
 * A live platform behind an MCP server: the tools the platform's public API allows (named as the skill names
 * them), and nothing it does not allow, so that a gateway reading {@code tools/list} supports exactly what the
 * platform does.
 */
public interface Connector {

    /** The contract's platform name (twitter, threads, instagram). */
    String platform();

    List<ConnectorTool> tools();

    /** What the server tells a client in {@code initialize}: what the platform allows, and what it does not. */
    String instructions();
}
