package io.tidemark.workers.cli;

/** A mistake in how a command was called: printed without a stack trace, exit status 2. */
public class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }
}
