package dev.engagement.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.contract.ErrorCode;

/**
 * Errors the HTTP server answers before any route runs — a body over
 * {@code camel.server.max-body-size} (413) — in the contract's shape too.
 */
public class HttpServerErrors extends SimpleEventNotifierSupport {

    private final ObjectMapper mapper;
    private final int port;

    public HttpServerErrors(ObjectMapper mapper, int port) {
        this.mapper = mapper;
        this.port = port;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelContext context = ((CamelEvent.CamelContextStartedEvent) event).getContext();
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router != null) {
            // A failure handler on the API's router: error handlers of a sub-router are not consulted.
            router.route().failureHandler(ctx -> {
                if (ctx.statusCode() == 413 && !ctx.response().ended()) {
                    write(ctx, ErrorCode.PAYLOAD_TOO_LARGE,
                            "The request body is larger than this gateway accepts (camel.server.max-body-size)");
                } else {
                    ctx.next();
                }
            });
        }
    }

    private void write(RoutingContext ctx, ErrorCode code, String message) {
        try {
            byte[] body = mapper.writeValueAsBytes(EngagementResult.failed(null, null, new EngagementFailure(code, message).toErrorBody()));
            ctx.response().setStatusCode(code.httpStatus()).putHeader("Content-Type", "application/json")
                    .end(io.vertx.core.buffer.Buffer.buffer(body));
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(code.httpStatus()).end();
        }
    }
}
