package dev.engagement.gateway.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.engagement.gateway.contract.EngagementRequest;

/**
 * How one action maps onto one MCP tool: the tool's name and, for each of its arguments, which
 * request field fills it. Written in configuration as {@code reply_to_tweet(tweet_id=target, text=content)}
 * so that a third-party MCP server with other names plugs in without code.
 */
public record ToolBinding(String tool, Map<String, String> arguments) {

    private static final Pattern FORM = Pattern.compile("\\s*([A-Za-z0-9_.\\-]+)\\s*(?:\\((.*)\\))?\\s*");
    private static final java.util.Set<String> FIELDS = java.util.Set.of("target", "content", "action", "platform");

    public static ToolBinding parse(String key, String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": expected tool_name(arg=field, ...) but got '" + text + "'");
        }
        Map<String, String> args = new LinkedHashMap<>();
        String list = m.group(2);
        if (list != null && !list.isBlank()) {
            for (String pair : list.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2 || kv[0].isBlank() || !FIELDS.contains(kv[1].trim())) {
                    throw new IllegalArgumentException(key + ": argument '" + pair.trim()
                            + "' must be name=field with field one of " + FIELDS);
                }
                args.put(kv[0].trim(), kv[1].trim());
            }
        }
        return new ToolBinding(m.group(1), Map.copyOf(args));
    }

    /** The tool call's arguments for this request; fields the request leaves empty are left out. */
    public Map<String, Object> argumentsFor(EngagementRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        arguments.forEach((name, field) -> {
            Object value = switch (field) {
                case "target" -> request.target();
                case "content" -> request.content();
                case "action" -> request.action();
                case "platform" -> request.platform();
                default -> null;
            };
            if (value != null) {
                out.put(name, value);
            }
        });
        return out;
    }
}
