package io.kook.ansible.parse;

import java.util.Locale;

import io.kook.ansible.InventoryParseException;
import io.kook.ansible.ParsedInventory;

/**
 * One entry point for the three source formats Kook imports, so callers pick a format by name (from the
 * request's content type) rather than by parser class.
 */
public final class InventoryParsers {

    private static final IniInventoryParser INI = new IniInventoryParser();
    private static final YamlInventoryParser YAML = new YamlInventoryParser();
    private static final ExportJsonParser JSON = new ExportJsonParser();

    private InventoryParsers() {
    }

    /**
     * @param body   the inventory as uploaded
     * @param format {@code ini}, {@code yaml} (or {@code yml}) or {@code json} ({@code ansible-inventory --list [--export]})
     * @throws InventoryParseException  when the source is not an inventory Kook can import
     * @throws IllegalArgumentException for an unknown format
     */
    public static ParsedInventory parse(byte[] body, String format) {
        if (body == null || SourceText.strip(new String(body, java.nio.charset.StandardCharsets.UTF_8)).isEmpty()) {
            // refused for every format: an empty file imported with mode=replace would delete everything
            throw new InventoryParseException(0, "the inventory is empty: send an INI (text/plain), YAML"
                    + " (application/yaml) or --list --export JSON (application/json) inventory");
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "ini" -> INI.parse(body);
            case "yaml", "yml" -> YAML.parse(body);
            case "json" -> JSON.parse(body);
            default -> throw new IllegalArgumentException("unknown inventory format '" + format
                    + "': expected ini, yaml or json");
        };
    }

    /**
     * Whether a host name written as a key of a YAML (or INI) inventory reads back as that same host: Ansible takes
     * such keys as host patterns, so {@code web01:8080} is host {@code web01} with a port, {@code web[1:2]} two
     * hosts, and {@code [2001:db8::1]} an error.
     */
    public static boolean readsAsItself(String hostName) {
        try {
            HostPatterns.Expansion e = HostPatterns.expand(hostName);
            return e.port() == null && e.hosts().equals(java.util.List.of(hostName));
        } catch (HostPatterns.PatternException e) {
            return false;
        }
    }
}
