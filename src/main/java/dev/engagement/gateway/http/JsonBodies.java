package dev.engagement.gateway.http;

import java.util.Locale;

import org.apache.camel.Exchange;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

/**
 * Makes the HTTP body raw JSON bytes. Form posts are refused with a clear 415: the HTTP server
 * would otherwise have parsed them into form fields (curl -d without a Content-Type does that).
 */
public class JsonBodies {

    public void require(Exchange exchange) {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/")) {
            throw new EngagementFailure(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Send the body as JSON with 'Content-Type: application/json' (got '" + type + "')");
        }
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        exchange.getMessage().setBody(bytes == null ? new byte[0] : bytes);
    }
}
