package dev.engagement.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

/**
 * The reviewer console's static files, served from the jar (classpath {@code console/}). Only the
 * files listed here are served, so a path can never reach anything else on the classpath. The page
 * itself needs no token: it asks for one and sends it to the API as a bearer token.
 */
public class ConsoleAssets {

    private static final String PAGE = "index.html";

    /** The files the console consists of, with their media types. */
    private static final Map<String, String> FILES = Map.of(
            PAGE, "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    /**
     * Same-origin only, no inline script or style: even if data ever reached the DOM as markup,
     * the browser would not run it. The API is called on the same origin.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final Map<String, byte[]> contents;

    public ConsoleAssets() {
        // Read once at start: a missing file is a packaging error, found at start-up and not by a reviewer.
        this.contents = FILES.keySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(f -> f, ConsoleAssets::read));
    }

    /** {@code GET /console}: the page. */
    public void page(Exchange exchange) {
        write(exchange, PAGE);
    }

    /** {@code GET /console/{file}}: one of the page's scripts or styles; anything else is NOT_FOUND. */
    public void asset(Exchange exchange) {
        String file = exchange.getMessage().getHeader("file", String.class);
        if (file == null || !FILES.containsKey(file)) {
            throw new EngagementFailure(ErrorCode.NOT_FOUND, "No console file " + file + "; the console is at /console");
        }
        write(exchange, file);
    }

    private void write(Exchange exchange, String file) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, FILES.get(file));
        message.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
        // Small files, and a new jar must show its new console at once.
        message.setHeader("Cache-Control", "no-cache");
        message.setBody(contents.get(file));
    }

    private static byte[] read(String file) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream("console/" + file)) {
            if (in == null) {
                throw new IllegalStateException("console/" + file + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
