package yishi;

import io.camunda.zeebe.client.CredentialsProvider;
import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.client.api.response.ActivatedJob;
import io.camunda.zeebe.client.api.worker.JobClient;
import io.camunda.zeebe.client.api.worker.JobWorker;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A job worker as an integrator would write it with Camunda's Java client in REST mode. Arguments:
 * the REST address (…/camunda), an Authorization header value, the job type, and how many jobs to
 * finish before exiting. Each job is failed once (retries − 1, back-off 1 s), then, when it comes
 * back, completed with variables or, on the element its variable {@code errorAt} names, answered
 * with the BPMN error SMS_FAILED. Every step prints one line: "event jobKey processInstanceKey retries millis".
 */
public final class JobWorkerMain {
  public static void main(String[] args) throws Exception {
    final URI rest = URI.create(args[0]);
    final String authorization = args[1];
    final String type = args[2];
    final int jobs = Integer.parseInt(args[3]);
    final CredentialsProvider credentials =
        new CredentialsProvider() {
          @Override
          public void applyCredentials(CredentialsApplier applier) {
            applier.put("Authorization", authorization);
          }

          @Override
          public boolean shouldRetryRequest(StatusCode code) {
            return false;
          }
        };
    final Set<Long> failedOnce = ConcurrentHashMap.newKeySet();
    final CountDownLatch finished = new CountDownLatch(jobs);
    try (ZeebeClient client =
            ZeebeClient.newClientBuilder()
                .restAddress(rest)
                .preferRestOverGrpc(true)
                .usePlaintext()
                .credentialsProvider(credentials)
                .build();
        JobWorker worker =
            client
                .newWorker()
                .jobType(type)
                .handler((JobClient jobClient, ActivatedJob job) -> handle(jobClient, job, failedOnce, finished))
                .name("java-worker")
                .timeout(Duration.ofSeconds(30))
                .maxJobsActive(8)
                .pollInterval(Duration.ofMillis(100))
                .requestTimeout(Duration.ofSeconds(2))
                .open()) {
      if (!finished.await(60, TimeUnit.SECONDS)) {
        System.out.println("timeout");
        System.exit(2);
      }
    }
  }

  private static void handle(JobClient client, ActivatedJob job, Set<Long> failedOnce, CountDownLatch finished) {
    print("activated", job);
    if (failedOnce.add(job.getKey())) {
      client.newFailCommand(job).retries(job.getRetries() - 1).retryBackoff(Duration.ofSeconds(1))
          .errorMessage("GIS 暂时不可用").send().join();
      print("failed", job);
      return;
    }
    final Map<String, Object> variables = job.getVariablesAsMap();
    if (job.getElementId().equals(variables.get("errorAt"))) {
      client.newThrowErrorCommand(job).errorCode("SMS_FAILED").errorMessage("号码无效")
          .variables(Map.of("reason", "号码无效")).send().join();
      print("error", job);
    } else {
      client.newCompleteCommand(job).variables(Map.of("owner", "李四", "area", 80, "seenKey", job.getProcessInstanceKey()))
          .send().join();
      print("completed", job);
    }
    finished.countDown();
  }

  private static void print(String event, ActivatedJob job) {
    System.out.println(event + " " + job.getKey() + " " + job.getProcessInstanceKey() + " " + job.getRetries() + " " + System.currentTimeMillis());
    System.out.flush();
  }
}
