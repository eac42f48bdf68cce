package io.kook.ansible.parse;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kook.ansible.parse.PythonTokens.Kind;
import io.kook.ansible.parse.PythonTokens.Token;

/**
 * Python 3.11's {@code ast.literal_eval} for one string, because the INI plugin types every value with it:
 * {@code 42} is an int, {@code 'x' # note} the string {@code x}, {@code [1, 'a']} a list, while {@code yes},
 * {@code 0755} or {@code bar # note} are not literals and stay the text they were.
 * <p>
 * The accepted language is what literal_eval accepts: numbers, strings and bytes (with prefixes, escapes and
 * implicit concatenation), {@code True}/{@code False}/{@code None}/{@code ...}, tuples, lists, sets, dicts,
 * {@code set()}, a sign on a number and {@code real ± imaginary}, with whitespace and a trailing comment.
 * Anything else, valid Python or not, is "not a literal", which is all the caller needs to know.
 */
final class PythonLiteral {

    /** What {@link #eval} returns where Python raises ValueError or SyntaxError. */
    static final Object NOT_A_LITERAL = new Object();

    /** CPython's tokenizer gives up beyond this many open brackets. */
    private static final int MAX_NESTING = 200;

    private PythonLiteral() {
    }

    /**
     * @return the Python value (see {@link PyValues}) or {@link #NOT_A_LITERAL}
     * @throws IllegalArgumentException where Python raises TypeError (an unhashable dict key or set member),
     *                                  which makes Ansible fail the whole inventory
     */
    static Object eval(String text) {
        if (text.indexOf('\0') >= 0) {
            return NOT_A_LITERAL; // source code cannot contain null bytes
        }
        int start = 0;
        while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        try {
            return convert(new Parser(text.substring(start)).parseTop());
        } catch (NotLiteral e) {
            return NOT_A_LITERAL;
        }
    }

    /** Python's SyntaxError or ValueError: the text is no literal. Thrown without a stack trace. */
    static final class NotLiteral extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotLiteral() {
            super(null, null, false, false);
        }
    }

    static final NotLiteral NOT = new NotLiteral();

    private sealed interface Ast permits Const, Unary, Bin, Seq, Dict, EmptySetCall, Other {
    }

    private record Const(Object value) implements Ast {
    }

    private record Unary(boolean negative, Ast operand) implements Ast {
    }

    private record Bin(Ast left, boolean minus, Ast right) implements Ast {
    }

    private enum SeqKind { TUPLE, LIST, SET }

    private record Seq(SeqKind kind, List<Ast> items) implements Ast {
    }

    private record Dict(List<Ast> keys, List<Ast> values) implements Ast {
    }

    private record EmptySetCall() implements Ast {
    }

    /** Valid syntax that literal_eval rejects (a name, a call, an f-string). */
    private record Other() implements Ast {
    }

    // ------------------------------------------------------------------------------------ evaluation

    private static Object convert(Ast node) {
        if (node instanceof Const c) {
            return c.value();
        }
        if (node instanceof Seq seq) {
            if (seq.kind() == SeqKind.SET) {
                Set<PyValues.Key> seen = new LinkedHashSet<>();
                for (Ast item : seq.items()) {
                    seen.add(new PyValues.Key(convert(item)));
                }
                return new PyValues.PySet(seen.stream().map(PyValues.Key::value).toList());
            }
            List<Object> items = new ArrayList<>(seq.items().size());
            for (Ast item : seq.items()) {
                items.add(convert(item));
            }
            return seq.kind() == SeqKind.TUPLE ? new PyValues.Tuple(items) : items;
        }
        if (node instanceof EmptySetCall) {
            return new PyValues.PySet(List.of());
        }
        if (node instanceof Dict dict) {
            Map<PyValues.Key, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < dict.keys().size(); i++) {
                Object key = convert(dict.keys().get(i));
                Object value = convert(dict.values().get(i));
                map.put(new PyValues.Key(key), value);
            }
            return map;
        }
        if (node instanceof Bin bin) {
            Object left = signedNumber(bin.left());
            Object right = number(bin.right());
            if ((left instanceof BigInteger || left instanceof Double) && right instanceof PyValues.Complex c) {
                double real = toDouble(left);
                return bin.minus() ? new PyValues.Complex(real - c.real(), -c.imag())
                        : new PyValues.Complex(real + c.real(), c.imag());
            }
        }
        return signedNumber(node);
    }

    private static Object signedNumber(Ast node) {
        if (node instanceof Unary u) {
            Object operand = number(u.operand());
            if (!u.negative()) {
                return operand;
            }
            if (operand instanceof BigInteger i) {
                return i.negate();
            }
            if (operand instanceof Double d) {
                return -d;
            }
            PyValues.Complex c = (PyValues.Complex) operand;
            return new PyValues.Complex(-c.real(), -c.imag());
        }
        return number(node);
    }

    private static Object number(Ast node) {
        if (node instanceof Const c && (c.value() instanceof BigInteger || c.value() instanceof Double
                || c.value() instanceof PyValues.Complex)) {
            return c.value();
        }
        throw NOT;
    }

    private static double toDouble(Object n) {
        return n instanceof BigInteger i ? i.doubleValue() : (Double) n;
    }

    // ------------------------------------------------------------------------------------ parsing

    private static final class Parser {
        private final PythonTokens tokens;
        private Token lookahead;
        private int depth;

        Parser(String s) {
            this.tokens = new PythonTokens(s);
        }

        Ast parseTop() {
            if (peek().kind() == Kind.END) {
                throw NOT;
            }
            Ast result = exprList(false);
            if (peek().kind() != Kind.END) {
                throw NOT;
            }
            return result;
        }

        /** {@code expr (',' expr)* [',']}: a bare tuple when there is a comma. */
        private Ast exprList(boolean inParens) {
            Ast first = expr();
            if (!peek().isOp(",")) {
                return first;
            }
            List<Ast> items = new ArrayList<>();
            items.add(first);
            while (peek().isOp(",")) {
                next();
                if (inParens ? peek().isOp(")") : peek().kind() == Kind.END) {
                    break;
                }
                items.add(expr());
            }
            return new Seq(SeqKind.TUPLE, items);
        }

        private Ast expr() {
            Ast left = unary();
            while (peek().isOp("+") || peek().isOp("-")) {
                boolean minus = next().isOp("-");
                left = new Bin(left, minus, unary());
            }
            return left;
        }

        private Ast unary() {
            List<Boolean> signs = new ArrayList<>();
            while (peek().isOp("+") || peek().isOp("-")) {
                signs.add(next().isOp("-"));
            }
            Ast operand = atom();
            for (int i = signs.size() - 1; i >= 0; i--) {
                operand = new Unary(signs.get(i), operand);
            }
            return operand;
        }

        private Ast atom() {
            Token t = next();
            Ast result = switch (t.kind()) {
                case NUMBER -> new Const(t.value());
                case STRING -> strings(t);
                case NAME -> name(t.text());
                case OP -> display(t.text());
                case END -> throw NOT;
            };
            if (peek().isOp("(") || peek().isOp("[")) {
                throw NOT; // a call or subscript: valid syntax, never a literal
            }
            return result;
        }

        private Ast strings(Token first) {
            List<Token> parts = new ArrayList<>();
            parts.add(first);
            while (peek().kind() == Kind.STRING) {
                parts.add(next());
            }
            long bytes = parts.stream().filter(p -> p.value() instanceof byte[]).count();
            if (bytes != 0 && bytes != parts.size()) {
                throw NOT; // cannot mix bytes and nonbytes literals
            }
            if (parts.stream().anyMatch(p -> p.value() == null)) {
                return new Other();
            }
            if (bytes == 0) {
                StringBuilder sb = new StringBuilder();
                parts.forEach(p -> sb.append((String) p.value()));
                return new Const(sb.toString());
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            parts.forEach(p -> out.writeBytes((byte[]) p.value()));
            return new Const(out.toByteArray());
        }

        private Ast name(String name) {
            switch (name) {
                case "True":
                    return new Const(Boolean.TRUE);
                case "False":
                    return new Const(Boolean.FALSE);
                case "None":
                    return new Const(null);
                default:
                    break;
            }
            if (name.equals("set") && peek().isOp("(")) {
                next();
                if (peek().isOp(")")) {
                    next();
                    return new EmptySetCall();
                }
                throw NOT; // set(...) with arguments is a call literal_eval rejects
            }
            return new Other();
        }

        private Ast display(String open) {
            switch (open) {
                case "...":
                    return new Const(PyValues.Ellipsis.INSTANCE);
                case "(": {
                    enter();
                    Ast inner;
                    if (peek().isOp(")")) {
                        inner = new Seq(SeqKind.TUPLE, List.of());
                    } else {
                        inner = exprList(true);
                    }
                    leave(")");
                    return inner;
                }
                case "[": {
                    enter();
                    List<Ast> items = new ArrayList<>();
                    while (!peek().isOp("]")) {
                        items.add(expr());
                        if (!peek().isOp(",")) {
                            break;
                        }
                        next();
                    }
                    leave("]");
                    return new Seq(SeqKind.LIST, items);
                }
                case "{":
                    enter();
                    return braces();
                default:
                    throw NOT;
            }
        }

        private Ast braces() {
            if (peek().isOp("}")) {
                leave("}");
                return new Dict(List.of(), List.of());
            }
            Ast first = expr();
            if (peek().isOp(":")) {
                List<Ast> keys = new ArrayList<>();
                List<Ast> values = new ArrayList<>();
                next();
                keys.add(first);
                values.add(expr());
                while (peek().isOp(",")) {
                    next();
                    if (peek().isOp("}")) {
                        break;
                    }
                    keys.add(expr());
                    expect(":");
                    values.add(expr());
                }
                leave("}");
                return new Dict(keys, values);
            }
            List<Ast> items = new ArrayList<>();
            items.add(first);
            while (peek().isOp(",")) {
                next();
                if (peek().isOp("}")) {
                    break;
                }
                items.add(expr());
            }
            leave("}");
            return new Seq(SeqKind.SET, items);
        }

        private void enter() {
            if (++depth > MAX_NESTING) {
                throw NOT;
            }
        }

        private void leave(String close) {
            expect(close);
            depth--;
        }

        private void expect(String op) {
            if (!next().isOp(op)) {
                throw NOT;
            }
        }

        private Token peek() {
            if (lookahead == null) {
                lookahead = tokens.next();
            }
            return lookahead;
        }

        private Token next() {
            Token t = peek();
            lookahead = null;
            return t;
        }
    }
}
