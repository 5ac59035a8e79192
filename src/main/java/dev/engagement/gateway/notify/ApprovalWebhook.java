package dev.engagement.gateway.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Exchange;

/**
 * Posts an approval event to engagement.approvals.webhook-url: the JSON body, signed with HMAC-SHA256 under
 * engagement.approvals.webhook-secret in {@value #SIGNATURE_HEADER} ({@code sha256=<hex>}, over the body's
 * bytes), the event's name in {@value #EVENT_HEADER}. An answer other than 2xx, or no answer, throws: the
 * route's redelivery (routes/notifications.yaml) tries again with backoff.
 */
public class ApprovalWebhook {

    public static final String SIGNATURE_HEADER = "X-Engagement-Signature";
    public static final String EVENT_HEADER = "X-Engagement-Event";

    private final URI url;
    private final byte[] secret;
    private final Duration timeout;
    private final HttpClient http;

    /** {@code url} empty: no webhook. */
    public ApprovalWebhook(String url, String secret, Duration timeout) {
        this.url = url == null || url.isBlank() ? null : URI.create(url.trim());
        this.secret = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        if (this.url != null && this.secret.length == 0) {
            throw new IllegalArgumentException("engagement.approvals.webhook-url is set but engagement.approvals.webhook-secret is empty:"
                    + " the receiver could not tell our events from anyone's");
        }
    }

    public boolean isConfigured() {
        return url != null;
    }

    public void deliver(Exchange exchange) throws IOException, InterruptedException {
        byte[] body = exchange.getMessage().getBody(String.class).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(EVENT_HEADER, exchange.getMessage().getHeader(EVENT_HEADER, "", String.class))
                .header(SIGNATURE_HEADER, signature(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("The approvals webhook answered " + answer.statusCode());
        }
    }

    /** sha256= and the hex HMAC-SHA256 of the body under the shared secret. */
    public String signature(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
