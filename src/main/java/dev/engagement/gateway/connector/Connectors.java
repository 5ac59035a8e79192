package dev.engagement.gateway.connector;

import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engagement.gateway.connector.instagram.InstagramConnector;
import dev.engagement.gateway.connector.threads.ThreadsConnector;
import dev.engagement.gateway.connector.x.XConnector;

/** The live connectors by name ({@code x} or {@code twitter}, {@code threads}, {@code instagram}). */
public final class Connectors {

    private Connectors() {
    }

    /** The connector for a platform, configured from its environment variables; a missing one fails naming it. */
    public static Connector create(String name, ConnectorSettings settings, ObjectMapper mapper) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "x", "twitter" -> XConnector.from(settings, mapper);
            case "threads" -> ThreadsConnector.from(settings, mapper);
            case "instagram" -> InstagramConnector.from(settings, mapper);
            case "tiktok" -> throw new IllegalArgumentException("TikTok has no live connector: its public API has no endpoint to like, "
                    + "follow or comment on other accounts' videos");
            default -> throw new IllegalArgumentException("No live connector '" + name + "'; there are: x, threads, instagram");
        };
    }
}
