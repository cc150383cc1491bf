"""Pinyin keys read names as people say them, from a phrase table small enough to keep in every worker."""
import os
import subprocess
import sys

from crm.companies import pinyin_table
from crm.companies.names import pinyin_full, pinyin_initials
from tests.memory import growth_mb


def test_names_with_characters_of_several_readings():
    assert pinyin_full("中国银行股份有限公司") == "zhongguoyinhanggufenyouxiangongsi"
    assert pinyin_initials("重庆长安汽车股份有限公司") == "cqcaqcgfyxgs"
    assert pinyin_initials("中国石化") == "zgsh"
    assert pinyin_initials("厦门钨业") == "xmwy"


def test_the_table_is_what_the_installed_pypinyin_gives():
    """After an upgrade of pypinyin, `python -m crm.companies.pinyin_table > crm/companies/pinyin_phrases.tsv`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN_")}  # its whole dictionary
    derived = subprocess.run([sys.executable, "-m", "crm.companies.pinyin_table"], env=env, check=True,
                             capture_output=True, text=True).stdout
    assert derived == pinyin_table.TABLE.read_text(encoding="utf-8")
    assert 3000 < derived.count("\n") < 5000  # a tenth of pypinyin's 47,000 phrases


def test_reading_pinyin_costs_a_worker_little_memory():
    """pypinyin's own phrase dictionary added 56 MB to every worker; with the table it is about 11."""
    assert growth_mb("from crm.companies import names", "names.pinyin_full('青海')") < 25
