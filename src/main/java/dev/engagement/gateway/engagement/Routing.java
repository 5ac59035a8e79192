package dev.engagement.gateway.engagement;

/**
 * Where an engagement of its platform and action may go (the decide route's choice reads it): it
 * executes when its confidence is above {@code autoExecuteAbove} and no rule requires a human; it waits
 * for a reviewer at or above {@code reviewAtOrAbove}; below, or when {@code never}, it is refused.
 */
public record Routing(double autoExecuteAbove, double reviewAtOrAbove, boolean alwaysReview, boolean never) {
}
