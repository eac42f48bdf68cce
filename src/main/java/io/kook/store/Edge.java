package io.kook.store;

/** A membership ({@code group} holds host {@code member}) or a nesting ({@code group} holds child group {@code member}). */
record Edge(String group, String member, boolean child) {

    static Edge member(String group, String host) {
        return new Edge(group, host, false);
    }

    static Edge child(String group, String child) {
        return new Edge(group, child, true);
    }

    String path(ZkLayout layout) {
        return child ? layout.child(group, member) : layout.member(group, member);
    }
}
