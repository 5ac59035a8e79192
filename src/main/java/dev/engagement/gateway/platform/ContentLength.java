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
    };

    public abstract int count(String text);

    public static ContentLength named(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "twitter", "twitter-weighted", "weighted" -> TWITTER_WEIGHTED;
            case "code-points", "characters", "chars" -> CODE_POINTS;
            default -> throw new IllegalArgumentException("Unknown length counting '" + name
                    + "'; use twitter-weighted or code-points");
        };
    }
}
