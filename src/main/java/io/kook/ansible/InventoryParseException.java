package io.kook.ansible;

/** A source inventory that Kook cannot read; {@code line} is 1-based, or 0 when no line applies. */
public class InventoryParseException extends RuntimeException {

    private final int line;

    public InventoryParseException(int line, String reason) {
        super(line > 0 ? "line " + line + ": " + reason : reason);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
