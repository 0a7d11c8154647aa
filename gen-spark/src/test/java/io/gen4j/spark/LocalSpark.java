package io.gen4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The tests' Spark: one local context per test JVM, {@code local[2,2]} (two task threads, a failed
 * task tried twice), no UI, bound to the loopback interface; stopped when the JVM exits.
 */
final class LocalSpark {

    private static JavaSparkContext context;

    private LocalSpark() {}

    static synchronized JavaSparkContext context() {
        if (context == null) {
            SparkConf conf = new SparkConf().setMaster("local[2,2]").setAppName("gen-spark-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.local.dir", System.getProperty("java.io.tmpdir"));
            context = new JavaSparkContext(conf);
            JavaSparkContext c = context;
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop));
        }
        return context;
    }
}
