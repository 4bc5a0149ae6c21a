#!/usr/bin/env python3
"""Writes a JSON Lines corpus as Parquet with Spark (for the Parquet pass of run.sh):
to_parquet.py IN.jsonl OUT.parquet (OUT is replaced)."""
import sys

from pyspark.sql import SparkSession


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    spark = (SparkSession.builder.master("local[2]").appName("framelens-to-parquet")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.read.json(sys.argv[1]).write.mode("overwrite").parquet(sys.argv[2])
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
