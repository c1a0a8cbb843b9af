package io.tidemark.activities.validate;

/** Lets tests in other packages reach the validator's manifest check. */
public final class BackupValidatorAccess {
  private BackupValidatorAccess() {}

  public static String manifestProblem(byte[] manifest) {
    return BackupValidator.manifestProblem(manifest);
  }
}
