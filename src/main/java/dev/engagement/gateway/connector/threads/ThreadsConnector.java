package dev.engagement.gateway.connector.threads;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engagement.gateway.connector.Answers;
import dev.engagement.gateway.connector.Connector;
import dev.engagement.gateway.connector.ConnectorSettings;
import dev.engagement.gateway.connector.ConnectorTool;
import dev.engagement.gateway.connector.GraphApiErrors;
import dev.engagement.gateway.connector.NumericIds;
import dev.engagement.gateway.connector.PlatformHttp;

/**
 * Threads through the Threads API: a reply is a text container ({@code POST /{user-id}/threads} with
 * {@code media_type=TEXT}, {@code text}, {@code reply_to_id}) then published ({@code POST /{user-id}/threads_publish}
 * with {@code creation_id}); a repost is {@code POST /{media-id}/repost}; lookups are {@code GET /{media-id}} and
 * {@code GET /{user-id}/threads_publishing_limit}. The API has no like and no follow: neither is listed.
 */
public final class ThreadsConnector implements Connector {

    public static final String BASE_URL = "THREADS_API_BASE_URL";
    public static final String TOKEN = "THREADS_ACCESS_TOKEN";
    public static final String USER_ID = "THREADS_USER_ID";
    public static final String TIMEOUT = "THREADS_API_TIMEOUT_MS";
    public static final String DEFAULT_BASE_URL = "https://graph.threads.net/v1.0";

    private final PlatformHttp api;
    private final String user;

    public ThreadsConnector(PlatformHttp api, String user) {
        this.api = api;
        this.user = user;
    }

    public static ThreadsConnector from(ConnectorSettings settings, ObjectMapper mapper) {
        PlatformHttp api = new PlatformHttp("Threads API", settings.getOr(BASE_URL, DEFAULT_BASE_URL),
                settings.require(TOKEN, "a Threads user access token with threads_basic, threads_content_publish and threads_manage_replies"),
                Duration.ofMillis(settings.getMillis(TIMEOUT, 8000)), mapper, new GraphApiErrors("Threads API", TOKEN, mapper));
        // the Threads API takes "me" for the token's own user
        return new ThreadsConnector(api, settings.getOr(USER_ID, "me"));
    }

    @Override
    public String platform() {
        return "threads";
    }

    @Override
    public String instructions() {
        return "Threads through the Threads API for one account: reply, repost and look up posts. The Threads API has no endpoint"
                + " to like a post or follow a user. Limits: 500 characters per post; 250 posts and 1,000 replies per 24 hours.";
    }

    @Override
    public List<ConnectorTool> tools() {
        return List.of(
                ConnectorTool.of("reply_to_thread", "Reply to a Threads post", this::reply,
                        "thread_id", "ID of the Threads post to reply to", "text", "Text of the reply (500 characters at most)"),
                ConnectorTool.of("repost_thread", "Repost a Threads post", this::repost, "thread_id", "ID of the Threads post"),
                ConnectorTool.of("get_thread", "Get a Threads post", this::getThread, "thread_id", "ID of the Threads post"),
                new ConnectorTool("get_publishing_limit", "How much of the account's 24-hour post and reply quota is used",
                        Map.of("type", "object", "properties", Map.of()), args -> publishingLimit()));
    }

    private Map<String, Object> reply(Map<String, Object> args) {
        String post = NumericIds.require(args, "thread_id", "Threads post");
        String text = ConnectorTool.text(args, "text");
        String container = api.postForm("/" + user + "/threads", "create a reply container for post " + post,
                "media_type", "TEXT", "text", text, "reply_to_id", post).path("id").asText();
        // a text container needs no media processing: it is published at once
        JsonNode published = api.postForm("/" + user + "/threads_publish", "publish the reply to post " + post, "creation_id", container);
        Map<String, Object> out = Answers.posted(published.path("id").asText(), text, post);
        out.put("creation_id", container);
        return out;
    }

    private Map<String, Object> repost(Map<String, Object> args) {
        String post = NumericIds.require(args, "thread_id", "Threads post");
        JsonNode answer = api.postForm("/" + post + "/repost", "repost post " + post);
        return Map.of("reposted", true, "id", answer.path("id").asText(), "thread_id", post);
    }

    private Map<String, Object> getThread(Map<String, Object> args) {
        String post = NumericIds.require(args, "thread_id", "Threads post");
        return Answers.graphObject(api.get("/" + post + "?fields=id,text,username,timestamp,permalink,media_type", "read post " + post), "text");
    }

    private Map<String, Object> publishingLimit() {
        JsonNode limit = api.get("/" + user + "/threads_publishing_limit?fields=quota_usage,config,reply_quota_usage,reply_config",
                "read the publishing limit").path("data").path(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("quota_usage", limit.path("quota_usage").asLong());
        out.put("quota_total", limit.path("config").path("quota_total").asLong());
        out.put("reply_quota_usage", limit.path("reply_quota_usage").asLong());
        out.put("reply_quota_total", limit.path("reply_config").path("quota_total").asLong());
        return out;
    }
}
