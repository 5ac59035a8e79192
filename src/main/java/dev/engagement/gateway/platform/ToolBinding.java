package dev.engagement.gateway.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.engagement.gateway.contract.EngagementRequest;

/**
 * How one action maps onto one MCP tool: the tool's name and, for each of its arguments, where the value comes
 * from. Written in configuration as {@code reply_to_tweet(tweet_id=target, text=content)} so that a third-party MCP
 * server with other names plugs in without code. A value is a request field ({@code target}, {@code content},
 * {@code action}, {@code platform}) or a constant: {@code 'text'}, a number, {@code true}/{@code false}, or
 * {@code ${NAME}} (a setting or environment variable, read at start). A dotted name is a nested argument
 * ({@code reply.in_reply_to_tweet_id=target} sends {@code {"reply": {"in_reply_to_tweet_id": ...}}}); a quoted name
 * is taken as it is ({@code 'tweet.fields'='text,author_id'}).
 */
public record ToolBinding(String tool, Map<String, Value> arguments) {

    /** Where one argument's value comes from: a request field, or a constant. Its name is its path in the arguments. */
    public record Value(List<String> path, String field, Object constant) {
    }

    private static final Pattern FORM = Pattern.compile("\\s*([A-Za-z0-9_.\\-]+)\\s*(?:\\((.*)\\))?\\s*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Set<String> FIELDS = Set.of("target", "content", "action", "platform");

    /** A binding without ${...} variables. */
    public static ToolBinding parse(String key, String text) {
        return parse(key, text, name -> Optional.empty());
    }

    public static ToolBinding parse(String key, String text, Function<String, Optional<String>> variables) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": expected tool_name(arg=field, ...) but got '" + text + "'");
        }
        Map<String, Value> args = new LinkedHashMap<>();
        String list = m.group(2);
        if (list != null && !list.isBlank()) {
            for (String pair : splitOutsideQuotes(key, list, ',', Integer.MAX_VALUE)) {
                List<String> nameAndValue = splitOutsideQuotes(key, pair, '=', 2);
                String name = nameAndValue.get(0).trim();
                if (nameAndValue.size() < 2 || name.isEmpty()) {
                    throw new IllegalArgumentException(key + ": argument '" + pair.trim() + "' must be name=value");
                }
                List<String> path = quoted(name) ? List.of(name.substring(1, name.length() - 1)) : pathOf(key, name);
                args.put(String.join(".", path), value(key, path, nameAndValue.get(1).trim(), variables));
            }
        }
        return new ToolBinding(m.group(1), java.util.Collections.unmodifiableMap(args));
    }

    private static List<String> pathOf(String key, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(key + ": '" + name + "' is not an argument name (letters, digits, _ and -, dots for nesting,"
                    + " or a quoted name)");
        }
        return List.of(name.split("\\."));
    }

    private static Value value(String key, List<String> path, String v, Function<String, Optional<String>> variables) {
        if (FIELDS.contains(v)) {
            return new Value(path, v, null);
        }
        if (quoted(v)) {
            return new Value(path, null, v.substring(1, v.length() - 1));
        }
        Matcher variable = VARIABLE.matcher(v);
        if (variable.matches()) {
            String name = variable.group(1);
            return new Value(path, null, variables.apply(name).orElseThrow(() -> new IllegalArgumentException(key + ": " + v
                    + " is not set (an environment variable or setting named " + name + ")")));
        }
        if (v.equals("true") || v.equals("false")) {
            return new Value(path, null, Boolean.valueOf(v));
        }
        if (NUMBER.matcher(v).matches()) {
            return new Value(path, null, v.contains(".") ? (Object) Double.valueOf(v) : (Object) Long.valueOf(v));
        }
        throw new IllegalArgumentException(key + ": argument '" + String.join(".", path) + "=" + v + "' must take a field " + FIELDS
                + ", a 'quoted' text, a number, true/false or ${VARIABLE}");
    }

    private static boolean quoted(String s) {
        return s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""));
    }

    /** The text cut at each separator outside quotes, into at most {@code limit} parts. */
    private static List<String> splitOutsideQuotes(String key, String text, char separator, int limit) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        Character quote = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != null) {
                quote = c == quote ? null : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == separator && parts.size() < limit - 1) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (quote != null) {
            throw new IllegalArgumentException(key + ": a quote is not closed in '" + text + "'");
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** The tool call's arguments for this request, nested where names are dotted; fields the request leaves empty are left out. */
    public Map<String, Object> argumentsFor(EngagementRequest request) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Value v : arguments.values()) {
            Object value = v.field() == null ? v.constant() : switch (v.field()) {
                case "target" -> request.target();
                case "content" -> request.content();
                case "action" -> request.action();
                case "platform" -> request.platform();
                default -> null;
            };
            if (value != null) {
                put(out, v.path(), value);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> into, List<String> path, Object value) {
        Map<String, Object> at = into;
        for (String step : path.subList(0, path.size() - 1)) {
            at = (Map<String, Object>) at.computeIfAbsent(step, k -> new LinkedHashMap<String, Object>());
        }
        at.put(path.get(path.size() - 1), value);
    }
}
