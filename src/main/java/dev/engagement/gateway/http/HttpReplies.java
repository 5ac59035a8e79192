package dev.engagement.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.flow.EngagementLifecycle;

/**
 * Writes the HTTP answer: the output contract as JSON, with the status that mirrors it
 * (200 success, 202 pending, the error code's status otherwise), Retry-After on rate limits
 * and Allow on a 405.
 */
public class HttpReplies {

    private final ObjectMapper mapper;
    private final EngagementLifecycle lifecycle;

    public HttpReplies(ObjectMapper mapper, EngagementLifecycle lifecycle) {
        this.mapper = mapper;
        this.lifecycle = lifecycle;
    }

    /** The result of a submission or a decision; the HTTP status mirrors it. */
    public void result(Exchange exchange) {
        EngagementResult result = resultOf(exchange.getMessage().getBody());
        write(exchange, result.httpStatus(), result);
    }

    /** The current state of an engagement: the lookup itself succeeded, so 200. */
    public void state(Exchange exchange) {
        write(exchange, 200, resultOf(exchange.getMessage().getBody()));
    }

    /** Any other JSON document (lists, ledgers): 200. */
    public void json(Exchange exchange) {
        write(exchange, 200, exchange.getMessage().getBody());
    }

    private EngagementResult resultOf(Object body) {
        if (body instanceof Engagement e) {
            return lifecycle.answerFor(e);
        }
        if (body instanceof EngagementResult r) {
            return r;
        }
        throw new IllegalStateException("Expected an engagement result but the route produced " + (body == null ? "nothing" : body.getClass()));
    }

    private void write(Exchange exchange, int status, Object document) {
        Message message = exchange.getMessage();
        // Only what we set goes back: request headers (and tokens) are never echoed.
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (document instanceof EngagementResult r && r.error() != null && r.error().retryAfter() != null) {
            message.setHeader("Retry-After", String.valueOf(r.error().retryAfter()));
        }
        String allow = exchange.getProperty(HttpFallback.ALLOW, String.class);
        if (allow != null) {
            message.setHeader("Allow", allow); // a 405's methods (HttpFallback)
        }
        try {
            // a Vert.x Buffer is written to the response as it is; platform-http-vertx would copy a byte[]
            // through an InputStream pump on a worker thread (8-KB buffers and a thread hop per answer).
            // Unlike a ByteBuffer, reading it (the Kafka announcement of a decision does) does not consume it.
            message.setBody(Buffer.buffer(mapper.writeValueAsBytes(document)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the answer as JSON", e);
        }
    }
}
