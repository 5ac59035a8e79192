package dev.engagement.gateway.platform;

import com.twitter.twittertext.TwitterTextParser;

/** Counts text the way a platform counts it. */
public enum ContentLength {
    /** X/Twitter's weighted count (twitter-text): URLs 23, CJK and emoji 2, most Latin 1. */
    TWITTER_WEIGHTED {
        @Override
        public int count(String text) {
            return TwitterTextParser.parseTweet(text).weightedLength;
        }
    },
    /** One per Unicode code point (an emoji is one character). */
    CODE_POINTS {
        @Override
        public int count(String text) {
            return text.codePointCount(0, text.length());
        }
    },
    /**
     * Threads' count: one per code point, but an emoji counts as many as its UTF-8 bytes (Meta's publishing
     * documentation), so 🚀 is 4 and 👍🏽 is 8. Emoji as twitter-text's emoji pattern finds them.
     */
    EMOJI_UTF8_BYTES {
        @Override
        public int count(String text) {
            int length = text.codePointCount(0, text.length());
            java.util.regex.Matcher emoji = com.twitter.twittertext.TwitterTextEmojiRegex.VALID_EMOJI_PATTERN.matcher(text);
            while (emoji.find()) {
                String e = emoji.group();
                length += e.getBytes(java.nio.charset.StandardCharsets.UTF_8).length - e.codePointCount(0, e.length());
            }
            return length;
        }
    };

    public abstract int count(String text);

    public static ContentLength named(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "twitter", "twitter-weighted", "weighted" -> TWITTER_WEIGHTED;
            case "code-points", "characters", "chars" -> CODE_POINTS;
            case "emoji-utf8-bytes", "threads" -> EMOJI_UTF8_BYTES;
            default -> throw new IllegalArgumentException("Unknown length counting '" + name
                    + "'; use twitter-weighted, code-points or emoji-utf8-bytes");
        };
    }
}
