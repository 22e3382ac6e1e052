// Fallback readiness probe for Kafka when node_modules/kafkajs is not there (see kafka-ready.mjs).
// Run in source-file mode: java -cp "<kafka jars>/*" scripts/stack/KafkaReady.java host:port timeoutSeconds
// Exits 0 once a consumer group has joined (the broker first answers "coordinator is loading").
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public class KafkaReady {
    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        long deadline = System.currentTimeMillis() + 1000L * (args.length > 1 ? Long.parseLong(args[1]) : 60);
        String topic = "stack-ready";
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                Properties common = new Properties();
                common.put("bootstrap.servers", bootstrap);
                common.put("request.timeout.ms", "5000");
                common.put("default.api.timeout.ms", "10000");
                try (Admin admin = Admin.create(common)) {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
                Properties c = new Properties();
                c.putAll(common);
                c.put("group.id", "stack-ready");
                c.put("enable.auto.commit", "false");
                c.put("key.deserializer", ByteArrayDeserializer.class.getName());
                c.put("value.deserializer", ByteArrayDeserializer.class.getName());
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
                    consumer.subscribe(List.of(topic));
                    long until = System.currentTimeMillis() + 10000;
                    while (System.currentTimeMillis() < until) {
                        consumer.poll(Duration.ofMillis(250));
                        if (!consumer.assignment().isEmpty()) return;
                    }
                    throw new IllegalStateException("no group join within 10s");
                }
            } catch (Exception e) {
                last = e;
                Thread.sleep(500);
            }
        }
        System.err.println("kafka not ready at " + bootstrap + ": " + last);
        System.exit(1);
    }
}
