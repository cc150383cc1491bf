"""The tokenizer: jieba with its dictionary's rarer words left out, which each worker keeps in memory."""
from crm.matching import text
from tests.memory import growth_mb


def test_the_tokenizer_costs_a_worker_little_memory():
    """jieba's whole dictionary added 62 MB to every worker; without its rarest words about 25."""
    assert growth_mb("from crm.matching import text", "text.warm_up()") < 40


def test_common_and_domain_words_stay_whole():
    analyzer = text.Analyzer(words=["碳酸锂"])
    assert {"碳酸锂", "光伏", "电池"} <= set(analyzer.tokens("电池级碳酸锂与光伏组件"))
