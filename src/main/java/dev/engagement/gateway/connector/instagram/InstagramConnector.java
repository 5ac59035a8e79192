package dev.engagement.gateway.connector.instagram;

import java.time.Duration;
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
 * Instagram through the Instagram Graph API (a professional account): reply to a comment
 * ({@code POST /{ig-comment-id}/replies}), comment on a post ({@code POST /{ig-media-id}/comments}: the account's
 * own media), and the lookups {@code GET /{ig-media-id}} and {@code GET /{ig-comment-id}}. The API has no like and
 * no follow: neither is listed.
 */
public final class InstagramConnector implements Connector {

    public static final String BASE_URL = "INSTAGRAM_API_BASE_URL";
    public static final String TOKEN = "INSTAGRAM_ACCESS_TOKEN";
    public static final String TIMEOUT = "INSTAGRAM_API_TIMEOUT_MS";
    public static final String DEFAULT_BASE_URL = "https://graph.facebook.com/v25.0";

    private final PlatformHttp api;

    public InstagramConnector(PlatformHttp api) {
        this.api = api;
    }

    public static InstagramConnector from(ConnectorSettings settings, ObjectMapper mapper) {
        return new InstagramConnector(new PlatformHttp("Instagram Graph API", settings.getOr(BASE_URL, DEFAULT_BASE_URL),
                settings.require(TOKEN, "a user access token with instagram_basic and instagram_manage_comments"),
                Duration.ofMillis(settings.getMillis(TIMEOUT, 8000)), mapper, new GraphApiErrors("Instagram Graph API", TOKEN, mapper)));
    }

    @Override
    public String platform() {
        return "instagram";
    }

    @Override
    public String instructions() {
        return "Instagram through the Instagram Graph API for one professional account: reply to comments, comment on the account's"
                + " own posts, look up posts and comments. The API has no endpoint to like a post or follow a user."
                + " Limits: 2,200 characters per comment; 200 calls per account per hour.";
    }

    @Override
    public List<ConnectorTool> tools() {
        return List.of(
                ConnectorTool.of("reply_to_comment", "Reply to a comment on Instagram", this::reply,
                        "comment_id", "ID of the comment", "text", "Text of the reply"),
                ConnectorTool.of("comment_on_post", "Comment on an Instagram post of the account", this::comment,
                        "post_id", "ID of the post (media)", "text", "Text of the comment"),
                ConnectorTool.of("get_post", "Get an Instagram post", this::getPost, "post_id", "ID of the post (media)"),
                ConnectorTool.of("get_comment", "Get an Instagram comment", this::getComment, "comment_id", "ID of the comment"));
    }

    private Map<String, Object> reply(Map<String, Object> args) {
        String comment = NumericIds.require(args, "comment_id", "Instagram comment");
        return posted(api.postForm("/" + comment + "/replies", "reply to comment " + comment,
                "message", ConnectorTool.text(args, "text")), args, comment);
    }

    private Map<String, Object> comment(Map<String, Object> args) {
        String post = NumericIds.require(args, "post_id", "Instagram post");
        return posted(api.postForm("/" + post + "/comments", "comment on post " + post,
                "message", ConnectorTool.text(args, "text")), args, post);
    }

    private static Map<String, Object> posted(JsonNode answer, Map<String, Object> args, String inReplyTo) {
        return Answers.posted(answer.path("id").asText(), ConnectorTool.text(args, "text"), inReplyTo);
    }

    private Map<String, Object> getPost(Map<String, Object> args) {
        String post = NumericIds.require(args, "post_id", "Instagram post");
        return Answers.graphObject(api.get("/" + post + "?fields=id,caption,username,timestamp,permalink,comments_count,like_count",
                "read post " + post), "caption");
    }

    private Map<String, Object> getComment(Map<String, Object> args) {
        String comment = NumericIds.require(args, "comment_id", "Instagram comment");
        return Answers.graphObject(api.get("/" + comment + "?fields=id,text,username,timestamp", "read comment " + comment), "text");
    }
}
