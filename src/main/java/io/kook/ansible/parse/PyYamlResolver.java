package io.kook.ansible.parse;

import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * PyYAML's implicit typing of plain scalars (YAML 1.1), which Ansible's YAML loader uses. SnakeYAML's own
 * resolver differs in ways that change values: it reads {@code 1e5} and {@code 08} as floats where PyYAML keeps
 * strings, and stops resolving scalars longer than 1024 characters.
 */
final class PyYamlResolver extends Resolver {

    /** PyYAML's {@code tag:yaml.org,2002:value} ({@code =}); a value so tagged has no constructor. */
    static final Tag VALUE = new Tag(Tag.PREFIX + "value");

    private static final Pattern BOOL = Pattern.compile(
            "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$");
    private static final Pattern FLOAT = Pattern.compile("^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)"
            + "|\\.(?:nan|NaN|NAN))$");
    private static final Pattern INT = Pattern.compile("^(?:[-+]?0b[0-1_]+"
            + "|[-+]?0[0-7_]+"
            + "|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$");
    private static final Pattern MERGE = Pattern.compile("^(?:<<)$");
    private static final Pattern NULL = Pattern.compile("^(?:~|null|Null|NULL|)$");
    private static final Pattern TIMESTAMP = Pattern.compile("^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
            + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
            + "(?:[Tt]|[ \\t]+)[0-9][0-9]?"
            + ":[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
            + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$");
    private static final Pattern VALUE_PATTERN = Pattern.compile("^(?:=)$");

    @Override
    protected void addImplicitResolvers() {
        int any = Integer.MAX_VALUE;
        addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", any);
        addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.", any);
        addImplicitResolver(Tag.INT, INT, "-+0123456789", any);
        addImplicitResolver(Tag.MERGE, MERGE, "<", any);
        // '\0' files the resolver under "any first character", which is where SnakeYAML looks for ""
        addImplicitResolver(Tag.NULL, NULL, "~nN\0", any);
        addImplicitResolver(Tag.TIMESTAMP, TIMESTAMP, "0123456789", any);
        addImplicitResolver(VALUE, VALUE_PATTERN, "=", any);
    }
}
