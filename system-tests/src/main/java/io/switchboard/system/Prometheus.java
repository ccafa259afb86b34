package io.switchboard.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** A service's Prometheus metrics (/q/metrics) as the tests and the benchmark read them. */
public final class Prometheus {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Prometheus() {
    }

    /** The metrics text of a service; fails when the endpoint does not answer 200. */
    public static String scrape(SystemUnderTest.Service service) throws IOException, InterruptedException {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(service.name() + " /q/metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /** The values a label takes on a metric's samples, in the order they first appear. */
    public static java.util.Set<String> labelValues(String metrics, String name, String label) {
        var values = new java.util.LinkedHashSet<String>();
        String key = label + "=\"";
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(key)) {
                int from = line.indexOf(key) + key.length();
                values.add(line.substring(from, line.indexOf('"', from)));
            }
        }
        return values;
    }

    /** The sum of a metric's samples whose labels include all of {@code labels}. */
    public static double sum(String metrics, String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            // an exemplar may follow the value when tracing is on: `name{labels} value # {trace_id=...} 1.0 <time>`
            String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
            String labelText = sample.contains("{") ? sample.substring(sample.indexOf('{'), sample.lastIndexOf('}') + 1) : "";
            if (labels.entrySet().stream().allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                sum += Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
