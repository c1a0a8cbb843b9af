package io.tidemark.workers.bench;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a workflow's time went, read from its Temporal history and its children's: each
 * activity's scheduled, started and closed times. From those: the transfer's span (first file-list
 * or fetch scheduled to last batch closed), comparable with the engine run directly, and a
 * per-activity breakdown for the report.
 */
final class WorkflowSpans {

  record Activity(String type, Instant scheduled, Instant started, Instant closed) {}

  private final List<Activity> activities;

  private WorkflowSpans(List<Activity> activities) {
    this.activities = activities;
  }

  static WorkflowSpans of(WorkflowClient client, String workflowId, String runId) {
    List<Activity> all = new ArrayList<>();
    collect(client, workflowId, runId, all);
    return new WorkflowSpans(all);
  }

  private static void collect(WorkflowClient client, String workflowId, String runId, List<Activity> into) {
    WorkflowExecutionHistory history = client.fetchHistory(workflowId, runId);
    Map<Long, String> types = new HashMap<>();
    Map<Long, Instant> scheduled = new HashMap<>();
    Map<Long, Instant> started = new HashMap<>();
    for (HistoryEvent e : history.getEvents()) {
      Instant at = Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
      switch (e.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
          types.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
          scheduled.put(e.getEventId(), at);
        }
        case EVENT_TYPE_ACTIVITY_TASK_STARTED -> started.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), at);
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> close(e.getActivityTaskCompletedEventAttributes().getScheduledEventId(),
            at, types, scheduled, started, into);
        case EVENT_TYPE_ACTIVITY_TASK_FAILED -> close(e.getActivityTaskFailedEventAttributes().getScheduledEventId(),
            at, types, scheduled, started, into);
        case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> close(e.getActivityTaskCanceledEventAttributes().getScheduledEventId(),
            at, types, scheduled, started, into);
        case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED -> {
          var child = e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution();
          collect(client, child.getWorkflowId(), child.getRunId(), into);
        }
        default -> { }
      }
    }
  }

  private static void close(long id, Instant at, Map<Long, String> types, Map<Long, Instant> scheduled,
      Map<Long, Instant> started, List<Activity> into) {
    into.add(new Activity(types.get(id), scheduled.get(id), started.getOrDefault(id, scheduled.get(id)), at));
  }

  /** Seconds from the first of these activities scheduled to the last closed; 0 if there were none. */
  double span(Set<String> types) {
    Instant first = null;
    Instant last = null;
    for (Activity a : activities) {
      if (types.contains(a.type())) {
        first = first == null || a.scheduled().isBefore(first) ? a.scheduled() : first;
        last = last == null || a.closed().isAfter(last) ? a.closed() : last;
      }
    }
    return first == null ? 0 : Duration.between(first, last).toNanos() / 1e9;
  }

  /**
   * Every activity on one line each, in seconds from the first scheduled: when it was scheduled,
   * started and closed. For the log: gaps between batches show dispatch latency.
   */
  String timeline() {
    Instant zero = activities.stream().map(Activity::scheduled).min(Instant::compareTo).orElse(Instant.EPOCH);
    StringBuilder out = new StringBuilder();
    activities.stream().sorted((a, b) -> a.scheduled().compareTo(b.scheduled())).forEach(a -> out.append(
        String.format("      %-20s scheduled %6.3f started %6.3f closed %6.3f%n", a.type(), seconds(zero, a.scheduled()),
            seconds(zero, a.started()), seconds(zero, a.closed()))));
    return out.toString();
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  /** "StartBackup 1.21 s, SendFiles ×5 9.80 s, ...": per type, in order of first appearance, the time from the first scheduled to the last closed. */
  String breakdown() {
    Map<String, List<Activity>> byType = new LinkedHashMap<>();
    activities.stream().sorted((a, b) -> a.scheduled().compareTo(b.scheduled()))
        .forEach(a -> byType.computeIfAbsent(a.type(), t -> new ArrayList<>()).add(a));
    List<String> parts = new ArrayList<>();
    byType.forEach((type, list) -> parts.add(type + (list.size() > 1 ? " ×" + list.size() : "") + " "
        + String.format("%.2f s", span(Set.of(type)))));
    return String.join(", ", parts);
  }
}
