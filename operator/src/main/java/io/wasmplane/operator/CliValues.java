package io.wasmplane.operator;

import java.util.List;

/** Parses flag values (ports, sizes, durations, counts) with messages that name the flag. */
final class CliValues {
  private CliValues() {}

  /** Walks the arguments: each flag, with its value given as {@code --flag=value} or after it. */
  static final class Cursor {
    private final List<String> args;
    private int i = -1;
    private String flag;
    private String inline;

    Cursor(List<String> args) {
      this.args = args;
    }

    /** Moves to the next flag; false when there is none. */
    boolean advance() {
      if (++i >= args.size()) {
        return false;
      }
      String arg = args.get(i);
      int eq = arg.indexOf('=');
      boolean joined = arg.startsWith("--") && eq > 0;
      flag = joined ? arg.substring(0, eq) : arg;
      inline = joined ? arg.substring(eq + 1) : null;
      return true;
    }

    String arg() {
      return args.get(i);
    }

    String flag() {
      return flag;
    }

    /**
     * A flag that takes no value is set: {@code --xds-plaintext=false} is refused rather than read
     * as {@code --xds-plaintext}.
     */
    boolean set() {
      if (inline != null) {
        throw new IllegalArgumentException(flag + " takes no value, got " + arg());
      }
      return true;
    }

    /** The flag's value: after {@code =}, or the next argument. */
    String value() {
      return inline != null ? inline : next(args, ++i, flag);
    }
  }

  static String next(List<String> args, int i, String flag) {
    if (i >= args.size() || args.get(i).startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args.get(i);
  }

  static long bytes(String value, String flag) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9]+)(Ki|Mi|Gi)?").matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          flag + " must be a number of bytes, optionally with Ki, Mi or Gi, got " + value);
    }
    int shift =
        m.group(2) == null
            ? 0
            : switch (m.group(2)) {
              case "Ki" -> 10;
              case "Mi" -> 20;
              default -> 30;
            };
    IllegalArgumentException tooLarge =
        new IllegalArgumentException(flag + " is too large, got " + value);
    long number;
    try {
      number = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw tooLarge;
    }
    if (number > Long.MAX_VALUE >> shift) {
      throw tooLarge;
    }
    return number << shift;
  }

  static java.time.Duration duration(String value, String flag) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)").matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          flag + " must be a duration such as 500ms, 90s, 10m or 1h, got " + value);
    }
    try {
      long number = Long.parseLong(m.group(1));
      java.time.Duration duration =
          switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(number);
            case "s" -> java.time.Duration.ofSeconds(number);
            case "m" -> java.time.Duration.ofMinutes(number);
            default -> java.time.Duration.ofHours(number);
          };
      if (duration.isZero()) {
        throw new IllegalArgumentException(flag + " must be longer than zero, got " + value);
      }
      duration.toMillis();
      return duration;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(flag + " is too long, got " + value);
    }
  }

  static int positive(String value, String flag) {
    try {
      int number = Integer.parseInt(value);
      if (number < 1) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a positive number, got " + value);
    }
  }

  static String usage() {
    try (java.io.InputStream in = CliOptions.class.getResourceAsStream("usage.txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("usage.txt is missing from the operator jar", e);
    }
  }

  static int port(String value, String flag) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a port number, got " + value);
    }
  }
}
