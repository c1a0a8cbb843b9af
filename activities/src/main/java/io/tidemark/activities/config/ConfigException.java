package io.tidemark.activities.config;

/** A configuration mistake: the message says what is wrong and where. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
