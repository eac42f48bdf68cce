package io.kook.store;

/**
 * A rule every planned change must pass before it is committed, on every attempt (so it judges the state the change
 * is actually applied to). Throws a {@link io.kook.inventory.KookException} to refuse the whole change.
 */
@FunctionalInterface
public interface ChangePolicy {

    ChangePolicy NONE = change -> { };

    void check(Change change);
}
