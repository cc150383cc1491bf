"""The tokenizer: jieba with its dictionary's rarer words left out, which each worker keeps in memory."""
import subprocess
import sys

from crm.matching import text


def test_the_tokenizer_costs_a_worker_little_memory():
    """jieba's whole dictionary added 62 MB to every worker; without its rarest words about 25."""
    script = ("from crm.matching import text\n"
              "def rss(): return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) // 1024\n"
              "before = rss(); text.warm_up(); print(rss() - before)")
    grown = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert int(grown) < 40


def test_common_and_domain_words_stay_whole():
    analyzer = text.Analyzer(words=["碳酸锂"])
    assert {"碳酸锂", "光伏", "电池"} <= set(analyzer.tokens("电池级碳酸锂与光伏组件"))
