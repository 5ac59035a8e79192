package dev.engagement.gateway.connector.x;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engagement.gateway.connector.Answers;
import dev.engagement.gateway.connector.Connector;
import dev.engagement.gateway.connector.ConnectorSettings;
import dev.engagement.gateway.connector.ConnectorTool;
import dev.engagement.gateway.connector.NumericIds;
import dev.engagement.gateway.connector.PlatformHttp;
import dev.engagement.gateway.mcpserver.ToolError;

/**
 * X (Twitter) through the X API v2 with an OAuth 2.0 user-context token: reply ({@code POST /2/tweets} with
 * {@code reply.in_reply_to_tweet_id}), like, follow and repost ({@code POST /2/users/:id/likes|following|retweets}),
 * and the lookups {@code GET /2/tweets/:id} and {@code GET /2/users/by/username/:username}. The account's own id
 * is {@code X_USER_ID}, or asked once from {@code GET /2/users/me}.
 */
public final class XConnector implements Connector {

    public static final String BASE_URL = "X_API_BASE_URL";
    public static final String TOKEN = "X_USER_ACCESS_TOKEN";
    public static final String USER_ID = "X_USER_ID";
    public static final String TIMEOUT = "X_API_TIMEOUT_MS";
    public static final String DEFAULT_BASE_URL = "https://api.x.com";

    /** X post and user ids are decimal numbers (snowflakes); anything else names nothing on X. */
    private static final Pattern ID = Pattern.compile("\\d{1,19}");
    private static final Pattern HANDLE = Pattern.compile("@?([A-Za-z0-9_]{1,15})");
    private static final String TWEET_FIELDS = "tweet.fields=author_id,conversation_id,created_at,entities,referenced_tweets,reply_settings"
            + "&expansions=author_id,referenced_tweets.id&user.fields=username";

    private final PlatformHttp api;
    private volatile String accountId;

    public XConnector(PlatformHttp api, String accountId) {
        this.api = api;
        this.accountId = accountId;
    }

    public static XConnector from(ConnectorSettings settings, ObjectMapper mapper) {
        PlatformHttp api = new PlatformHttp("X API", settings.getOr(BASE_URL, DEFAULT_BASE_URL),
                settings.require(TOKEN, "an OAuth 2.0 user access token with the scopes tweet.read tweet.write users.read like.write follows.write"),
                Duration.ofMillis(settings.getMillis(TIMEOUT, 8000)), mapper, new XApiErrors());
        return new XConnector(api, settings.get(USER_ID).orElse(null));
    }

    @Override
    public String platform() {
        return "twitter";
    }

    @Override
    public String instructions() {
        return "X (Twitter) through the X API v2 for one account: reply, like, follow, repost and look up posts and users. "
                + "Since February 2026 X refuses a reply unless the post's author mentioned or quoted the account (except Enterprise tiers).";
    }

    @Override
    public List<ConnectorTool> tools() {
        return List.of(
                ConnectorTool.of("reply_to_tweet", "Reply to a post on X", this::reply,
                        "tweet_id", "ID of the post to reply to", "text", "Text of the reply"),
                ConnectorTool.of("like_tweet", "Like a post on X", this::like, "tweet_id", "ID of the post"),
                ConnectorTool.of("follow_user", "Follow a user on X", this::follow, "user_id", "ID of the user, or @handle"),
                ConnectorTool.of("retweet", "Repost a post on X", this::retweet, "tweet_id", "ID of the post"),
                ConnectorTool.of("get_tweet", "Get a post on X, and whether it mentions or quotes the account", this::getTweet,
                        "tweet_id", "ID of the post"),
                ConnectorTool.of("get_user", "Get a user on X by @handle", this::getUser, "username", "The user's handle, with or without @"));
    }

    private Map<String, Object> reply(Map<String, Object> args) {
        String tweet = postId(args);
        String text = ConnectorTool.text(args, "text");
        JsonNode data = api.postJson("/2/tweets", Map.of("text", text, "reply", Map.of("in_reply_to_tweet_id", tweet)),
                "reply to post " + tweet).path("data");
        return Answers.posted(data.path("id").asText(), data.path("text").asText(text), tweet);
    }

    private Map<String, Object> like(Map<String, Object> args) {
        String tweet = postId(args);
        JsonNode data = api.postJson("/2/users/" + account() + "/likes", Map.of("tweet_id", tweet), "like post " + tweet).path("data");
        return Map.of("liked", data.path("liked").asBoolean(), "tweet_id", tweet);
    }

    private Map<String, Object> retweet(Map<String, Object> args) {
        String tweet = postId(args);
        JsonNode data = api.postJson("/2/users/" + account() + "/retweets", Map.of("tweet_id", tweet), "repost post " + tweet).path("data");
        return Map.of("retweeted", data.path("retweeted").asBoolean(), "tweet_id", tweet);
    }

    private Map<String, Object> follow(Map<String, Object> args) {
        String target = ConnectorTool.text(args, "user_id");
        String userId = ID.matcher(target).matches() && !target.startsWith("@") ? target : userByHandle(target).path("id").asText();
        JsonNode data = api.postJson("/2/users/" + account() + "/following", Map.of("target_user_id", userId), "follow user " + target)
                .path("data");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("following", data.path("following").asBoolean());
        out.put("pending_follow", data.path("pending_follow").asBoolean());
        out.put("user_id", userId);
        return out;
    }

    private Map<String, Object> getUser(Map<String, Object> args) {
        JsonNode user = userByHandle(ConnectorTool.text(args, "username"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.path("id").asText());
        out.put("username", user.path("username").asText());
        out.put("name", user.path("name").asText());
        return out;
    }

    /**
     * The post with the facts the reply rule needs: whether it mentions the account ({@code entities.mentions}) or
     * quotes one of the account's posts ({@code referenced_tweets} of type quoted, whose author is the account).
     */
    private Map<String, Object> getTweet(Map<String, Object> args) {
        String tweet = postId(args);
        JsonNode answer = api.get("/2/tweets/" + tweet + "?" + TWEET_FIELDS, "read post " + tweet);
        JsonNode data = answer.path("data");
        if (data.isMissingNode()) {
            // X answers 200 with only "errors" for a post that is gone or that this account may not see
            JsonNode error = answer.path("errors").path(0);
            String type = error.path("type").asText("");
            String reason = XApiErrors.reason(answer);
            throw type.endsWith("not-authorized-for-resource")
                    ? new ToolError("NOT_PERMITTED", "X does not let this account read post " + tweet + ": " + reason, null)
                    : new ToolError("NOT_FOUND", "X post " + tweet + " not found (" + reason + ")", null);
        }
        String me = account();
        List<String> mentions = new ArrayList<>();
        boolean mentionsAccount = false;
        for (JsonNode m : data.path("entities").path("mentions")) {
            mentions.add(m.path("username").asText());
            mentionsAccount |= me.equals(m.path("id").asText());
        }
        boolean quotesAccount = false;
        for (JsonNode ref : data.path("referenced_tweets")) {
            if ("quoted".equals(ref.path("type").asText())) {
                for (JsonNode included : answer.path("includes").path("tweets")) {
                    quotesAccount |= ref.path("id").asText().equals(included.path("id").asText())
                            && me.equals(included.path("author_id").asText());
                }
            }
        }
        String authorId = data.path("author_id").asText(null);
        String author = authorId;
        for (JsonNode u : answer.path("includes").path("users")) {
            if (u.path("id").asText().equals(authorId)) {
                author = u.path("username").asText(authorId);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", data.path("id").asText());
        out.put("text", data.path("text").asText());
        out.put("author", author);
        out.put("author_id", authorId);
        out.put("created_at", data.path("created_at").asText(null));
        out.put("conversation_id", data.path("conversation_id").asText(null));
        out.put("reply_settings", data.path("reply_settings").asText(null));
        out.put("mentions", mentions);
        out.put("mentions_account", mentionsAccount);
        out.put("quotes_account", quotesAccount);
        return out;
    }

    private JsonNode userByHandle(String handle) {
        var m = HANDLE.matcher(handle.trim());
        if (!m.matches()) {
            throw new ToolError("NOT_FOUND", "'" + handle + "' is neither an X user id nor an @handle (1-15 letters, digits, _)", null);
        }
        JsonNode answer = api.get("/2/users/by/username/" + m.group(1), "look up @" + m.group(1));
        if (answer.path("data").isMissingNode()) {
            throw new ToolError("NOT_FOUND", "X user @" + m.group(1) + " not found (" + XApiErrors.reason(answer) + ")", null);
        }
        return answer.path("data");
    }

    /** The account's user id: X_USER_ID, or asked once from GET /2/users/me. */
    String account() {
        String id = accountId;
        if (id == null) {
            synchronized (this) {
                if (accountId == null) {
                    accountId = api.get("/2/users/me", "read the account (GET /2/users/me)").path("data").path("id").asText(null);
                    if (accountId == null) {
                        throw new ToolError("INTERNAL", "X answered GET /2/users/me without the account's id", null);
                    }
                }
                id = accountId;
            }
        }
        return id;
    }

    private static String postId(Map<String, Object> args) {
        return NumericIds.require(args, "tweet_id", "X post");
    }
}
