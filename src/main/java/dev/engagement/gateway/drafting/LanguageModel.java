package dev.engagement.gateway.drafting;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

import dev.engagement.gateway.config.Settings;

/**
 * The language model that drafts replies (engagement.drafting.*): an OpenAI-compatible chat-completions server at
 * base-url, the model's name there, the API key read from the environment variable api-key-env (a local server
 * needs none), and how it is asked. {@link #toString} never shows the key.
 */
public record LanguageModel(String baseUrl, String name, String apiKeyEnv, Optional<String> apiKey, String instructions,
                            double temperature, int maxTokens, long timeoutMs) {

    private static final String PREFIX = "engagement.drafting.";

    /**
     * The model of the settings when drafting is enabled, else null; enabled without base-url or model, or with a
     * base-url that is not http(s), fails the start naming the key.
     */
    public static LanguageModel fromSettings(Settings settings) {
        if (!settings.getBoolean(PREFIX + "enabled")) {
            return null;
        }
        String baseUrl = required(settings, "base-url", "the OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama")
                .replaceAll("/+$", "");
        String scheme = URI.create(baseUrl).getScheme();
        if (scheme == null || !(scheme.toLowerCase(Locale.ROOT).equals("http") || scheme.toLowerCase(Locale.ROOT).equals("https"))) {
            throw new IllegalArgumentException("Setting " + PREFIX + "base-url must be an http:// or https:// URL (e.g."
                    + " http://localhost:11434/v1): '" + baseUrl + "'");
        }
        String name = required(settings, "model", "the model's name on that server, e.g. llama3.2");
        String apiKeyEnv = settings.get(PREFIX + "api-key-env").orElse(null);
        return new LanguageModel(baseUrl, name, apiKeyEnv, apiKeyEnv == null ? Optional.empty() : settings.variable(apiKeyEnv),
                settings.require(PREFIX + "instructions"), settings.getDouble(PREFIX + "temperature"),
                settings.getInt(PREFIX + "max-tokens"), settings.getLong(PREFIX + "timeout-ms"));
    }

    private static String required(Settings settings, String key, String what) {
        return settings.get(PREFIX + key).orElseThrow(() -> new IllegalArgumentException("engagement.drafting.enabled is true"
                + " but setting " + PREFIX + key + " is empty: set it to " + what));
    }

    /** Where it is and what it is, for the log: never the key. */
    @Override
    public String toString() {
        return name + " at " + baseUrl + (apiKey.isPresent() ? " (API key from " + apiKeyEnv + ")" : " (no API key)");
    }
}
