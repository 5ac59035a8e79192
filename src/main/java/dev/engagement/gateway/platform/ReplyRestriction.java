package dev.engagement.gateway.platform;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.TargetInfo;

/**
 * X's rule since February 2026: a reply through the API is refused (403) unless the post's author mentioned or
 * quoted the account (Enterprise tiers excepted). Where {@code engagement.platforms.<p>.reply-restriction = on},
 * a reply or comment whose looked-up target says it does neither ({@code mentions_account} and
 * {@code quotes_account}, as the X connector's get_tweet answers them) is refused before the platform is called,
 * NOT_PERMITTED_BY_PLATFORM, and before a reviewer spends time on it. A lookup that does not say (the sandbox,
 * another server) leaves the platform to decide.
 */
public class ReplyRestriction {

    private static final Set<String> REPLIES = Set.of("reply", "comment");

    private final Set<String> restricted;

    public ReplyRestriction(Settings settings, List<String> platforms) {
        this.restricted = platforms.stream()
                .filter(p -> settings.get("engagement.platforms." + p + ".reply-restriction").map(v -> {
                    if (!v.equals("on") && !v.equals("off")) {
                        throw new IllegalArgumentException("engagement.platforms." + p + ".reply-restriction must be on or off, not '" + v + "'");
                    }
                    return v.equals("on");
                }).orElse(false))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Throws NOT_PERMITTED_BY_PLATFORM for a reply the platform is known to refuse. */
    public void check(Engagement engagement) {
        EngagementRequest request = engagement.getRequest();
        TargetInfo target = engagement.getTarget();
        if (!restricted.contains(request.platform()) || !REPLIES.contains(request.action()) || target == null) {
            return;
        }
        Object mentions = target.metadata().get("mentions_account");
        Object quotes = target.metadata().get("quotes_account");
        if (!(mentions instanceof Boolean) && !(quotes instanceof Boolean) || Boolean.TRUE.equals(mentions) || Boolean.TRUE.equals(quotes)) {
            return;
        }
        throw new EngagementFailure(ErrorCode.NOT_PERMITTED_BY_PLATFORM, "The platform accepts a reply through its API only where the"
                + " post's author mentioned or quoted the account; post " + request.target()
                + (target.author() == null ? "" : " by " + target.author()) + " does neither (engagement.platforms." + request.platform()
                + ".reply-restriction=off on an Enterprise tier)", false, null, request.platform(), request.target(), null, null);
    }
}
