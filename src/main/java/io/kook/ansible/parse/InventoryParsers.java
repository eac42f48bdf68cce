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
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "ini" -> INI.parse(body);
            case "yaml", "yml" -> YAML.parse(body);
            case "json" -> JSON.parse(body);
            default -> throw new IllegalArgumentException("unknown inventory format '" + format
                    + "': expected ini, yaml or json");
        };
    }
}
