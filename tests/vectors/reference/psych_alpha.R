# Reference numbers from R psych::alpha for tests/vectors/stats-cronbach-alpha.json.
# Reads a CSV (header = item names, NA = missing) on stdin; prints key=value
# lines with 17 significant digits. Usage: Rscript psych_alpha.R [pairwise|complete] < data.csv
suppressMessages(library(psych))
args <- commandArgs(trailingOnly = TRUE)
use <- if (length(args) > 0 && args[1] == "complete") "complete.obs" else "pairwise"
x <- read.csv(file("stdin"), check.names = FALSE)
a <- suppressWarnings(alpha(x, use = use, warnings = FALSE, check.keys = FALSE))
f <- function(v) sprintf("%.17g", v)
cat("psych_version=", as.character(packageVersion("psych")), "\n", sep = "")
cat("raw_alpha=", f(a$total$raw_alpha), "\n", sep = "")
cat("std_alpha=", f(a$total$std.alpha), "\n", sep = "")
cat("average_r=", f(a$total$average_r), "\n", sep = "")
cat("feldt_lower=", f(a$feldt$lower.ci[[1]]), "\n", sep = "")
cat("feldt_upper=", f(a$feldt$upper.ci[[1]]), "\n", sep = "")
s <- a$item.stats
d <- a$alpha.drop
for (i in seq_len(nrow(s))) {
  cat("item", i - 1, "_n=", f(s$n[i]), "\n", sep = "")
  cat("item", i - 1, "_mean=", f(s$mean[i]), "\n", sep = "")
  cat("item", i - 1, "_sd=", f(s$sd[i]), "\n", sep = "")
  cat("item", i - 1, "_r_drop=", f(s$r.drop[i]), "\n", sep = "")
  cat("item", i - 1, "_alpha_if_deleted=", f(d$raw_alpha[i]), "\n", sep = "")
  cat("item", i - 1, "_std_alpha_if_deleted=", f(d$std.alpha[i]), "\n", sep = "")
  cat("item", i - 1, "_average_r_if_deleted=", f(d$average_r[i]), "\n", sep = "")
}
