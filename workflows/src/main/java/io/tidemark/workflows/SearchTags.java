package io.tidemark.workflows;

import io.temporal.common.SearchAttributeKey;
import io.temporal.workflow.Workflow;

/**
 * The search attributes a backup or restore carries when the workers' configuration asks for them
 * ({@code temporal.searchAttributes}), so the Temporal UI finds every backup of a cluster, or the
 * workflow that made a backup, by a query such as {@code TidemarkCluster = "main"}. The decision
 * comes from an activity's recorded result, so replay makes the same one without a version marker.
 */
public final class SearchTags {

  public static final SearchAttributeKey<String> CLUSTER = SearchAttributeKey.forKeyword("TidemarkCluster");
  public static final SearchAttributeKey<String> BACKUP_ID = SearchAttributeKey.forKeyword("TidemarkBackupId");

  private SearchTags() {}

  public static void tag(boolean enabled, String cluster, String backupId) {
    if (!enabled) {
      return;
    }
    Workflow.upsertTypedSearchAttributes(CLUSTER.valueSet(cluster), BACKUP_ID.valueSet(backupId));
  }
}
