package dev.engagement.gateway.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One tool of a sandbox platform, named exactly as in the skill's MCP dependency list. */
public record SandboxTool(String name, String description, Effect effect, String idArgument, String targetKind,
                          boolean takesText) {

    /** What calling the tool does to the platform's state. */
    public enum Effect { POST, LIKE, FOLLOW, SHARE, LOOKUP }

    /**
     * The tools of each platform: the seed's lists, plus a lookup per kind of target (twitter's
     * get_tweet is the seed's; get_post, get_comment, get_video and get_thread are the sandbox's
     * equivalents, answering {id, author, text, like_count}).
     */
    public static final Map<String, List<SandboxTool>> BY_PLATFORM = Map.of(
            "twitter", List.of(
                    new SandboxTool("reply_to_tweet", "Reply to a tweet", Effect.POST, "tweet_id", "tweet", true),
                    new SandboxTool("like_tweet", "Like a tweet", Effect.LIKE, "tweet_id", "tweet", false),
                    new SandboxTool("follow_user", "Follow a user", Effect.FOLLOW, "user_id", "user", false),
                    new SandboxTool("retweet", "Retweet a post", Effect.SHARE, "tweet_id", "tweet", false),
                    new SandboxTool("get_tweet", "Get tweet details", Effect.LOOKUP, "tweet_id", "tweet", false)),
            "instagram", List.of(
                    new SandboxTool("comment_on_post", "Comment on a post", Effect.POST, "post_id", "post", true),
                    new SandboxTool("like_post", "Like a post", Effect.LIKE, "post_id", "post", false),
                    new SandboxTool("follow_user", "Follow a user", Effect.FOLLOW, "user_id", "user", false),
                    new SandboxTool("reply_to_comment", "Reply to a comment", Effect.POST, "comment_id", "comment", true),
                    new SandboxTool("get_post", "Get post details", Effect.LOOKUP, "post_id", "post", false),
                    new SandboxTool("get_comment", "Get comment details", Effect.LOOKUP, "comment_id", "comment", false)),
            "tiktok", List.of(
                    new SandboxTool("comment_on_video", "Comment on a video", Effect.POST, "video_id", "video", true),
                    new SandboxTool("like_video", "Like a video", Effect.LIKE, "video_id", "video", false),
                    new SandboxTool("follow_user", "Follow a user", Effect.FOLLOW, "user_id", "user", false),
                    new SandboxTool("share_video", "Share a video", Effect.SHARE, "video_id", "video", false),
                    new SandboxTool("get_video", "Get video details", Effect.LOOKUP, "video_id", "video", false)),
            "threads", List.of(
                    new SandboxTool("reply_to_thread", "Reply to a thread", Effect.POST, "thread_id", "thread", true),
                    new SandboxTool("like_thread", "Like a thread", Effect.LIKE, "thread_id", "thread", false),
                    new SandboxTool("follow_user", "Follow a user", Effect.FOLLOW, "user_id", "user", false),
                    new SandboxTool("get_thread", "Get thread details", Effect.LOOKUP, "thread_id", "thread", false)));

    /** The tool's JSON input schema. */
    public Map<String, Object> inputSchema() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(idArgument, Map.of("type", "string", "minLength", 1, "description", "ID of the " + targetKind));
        if (takesText) {
            props.put("text", Map.of("type", "string", "minLength", 1, "description", "Text to post"));
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", props);
        schema.put("required", takesText ? List.of(idArgument, "text") : List.of(idArgument));
        return schema;
    }
}
