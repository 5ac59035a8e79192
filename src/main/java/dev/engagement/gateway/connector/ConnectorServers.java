package dev.engagement.gateway.connector;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;

import dev.engagement.gateway.mcpserver.ToolResults;

/** A connector's MCP server (MCP Java SDK), over Streamable HTTP or stdio, like the sandbox's. */
public final class ConnectorServers {

    private final ObjectMapper mapper;
    private final McpJsonMapper jsonMapper;
    private final JsonSchemaValidator schemaValidator;

    public ConnectorServers(ObjectMapper mapper, McpJsonMapper jsonMapper, JsonSchemaValidator schemaValidator) {
        this.mapper = mapper;
        this.jsonMapper = jsonMapper;
        this.schemaValidator = schemaValidator;
    }

    public McpSyncServer streamable(Connector connector, McpStreamableServerTransportProvider transport) {
        return configure(McpServer.sync(transport), connector);
    }

    public McpSyncServer stdio(Connector connector, McpServerTransportProvider transport) {
        return configure(McpServer.sync(transport), connector);
    }

    private McpSyncServer configure(McpServer.SyncSpecification<?> spec, Connector connector) {
        List<McpServerFeatures.SyncToolSpecification> tools = connector.tools().stream()
                .map(t -> McpServerFeatures.SyncToolSpecification.builder()
                        .tool(McpSchema.Tool.builder().name(t.name()).description(t.description()).inputSchema(t.inputSchema()).build())
                        .callHandler((exchange, request) -> ToolResults.answer(mapper, () -> t.call().apply(request.arguments())))
                        .build())
                .toList();
        return spec.serverInfo("engagement-connector-" + connector.platform(), "1.0.0")
                .instructions(connector.instructions())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).logging().build())
                .jsonMapper(jsonMapper)
                .jsonSchemaValidator(schemaValidator)
                .tools(tools)
                .build();
    }
}
