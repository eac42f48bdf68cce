package io.kook.history;

import io.kook.inventory.KookException;

/**
 * The filters of {@code GET /changes}: a revision window ({@code since} exclusive, {@code until} inclusive,
 * {@code before} the paging cursor, exclusive), one entity ({@code host:<name>} or {@code group:<name>}) and one
 * actor; absent ones match everything.
 */
record ChangeQuery(Long since, Long until, Long before, ChangeRecord.EntityType entityType, String entityName,
                   String actor) {

    static ChangeQuery of(Long since, Long until, Long before, String entity, String actor) {
        ChangeRecord.EntityType type = null;
        String name = null;
        if (entity != null) {
            int colon = entity.indexOf(':');
            String prefix = colon < 0 ? "" : entity.substring(0, colon);
            if (!prefix.equals("host") && !prefix.equals("group") || colon == entity.length() - 1) {
                throw KookException.invalid("entity", "must be host:<name> or group:<name>");
            }
            type = prefix.equals("host") ? ChangeRecord.EntityType.HOST : ChangeRecord.EntityType.GROUP;
            name = entity.substring(colon + 1);
        }
        return new ChangeQuery(since, until, before, type, name, actor);
    }

    boolean matches(ChangeRecord record) {
        long revision = record.revision();
        if (since != null && revision <= since || until != null && revision > until
                || before != null && revision >= before) {
            return false;
        }
        if (actor != null && !actor.equals(record.actor())) {
            return false;
        }
        return entityName == null || record.entities().stream()
                .anyMatch(e -> e.entity() == entityType && e.name().equals(entityName));
    }
}
