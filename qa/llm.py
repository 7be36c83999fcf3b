"""Language-model engines for the question plan and the answer: a prompt from prompts/, filled and completed.

`openai` talks to any OpenAI-compatible service (DeepSeek, Qwen on DashScope, Ollama, vLLM);
`llamacpp` runs a local GGUF file (optional extra). The `extractive` engine needs neither.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from common.errors import BudgetQAError
from common.settings import PROJECT_ROOT, settings

PROMPTS = PROJECT_ROOT / "prompts"
LLM_ENGINES = ("openai", "llamacpp")


@cache
def prompt_template(name: str) -> str:
    return (PROMPTS / f"{name}.md").read_text(encoding="utf-8")


def build_prompt(question: str, fact_lines: list[str], passage_lines: list[str]) -> str:
    """Given the question, looked-up facts and numbered passages, return the filled answer prompt."""
    return prompt_template("answer").format(
        facts="\n".join(fact_lines) or "（无）", passages="\n\n".join(passage_lines) or "（无）", question=question)


@cache
def language_model(engine: str):
    """Given an engine name, return its llama-index LLM, configured from settings."""
    if engine == "openai":
        from llama_index.llms.openai_like import OpenAILike

        if not (settings.llm_base_url and settings.llm_model):
            raise BudgetQAError("未配置语言模型：请设置 QA_LLM_BASE_URL 和 QA_LLM_MODEL",
                                "no language model configured: set QA_LLM_BASE_URL and QA_LLM_MODEL")
        return OpenAILike(model=settings.llm_model, api_base=settings.llm_base_url, api_key=settings.llm_api_key or "none",
                          is_chat_model=True, timeout=settings.llm_timeout_s, max_retries=1, temperature=0.0)
    if engine == "llamacpp":
        try:
            from llama_index.llms.llama_cpp import LlamaCPP
        except ImportError as error:
            raise BudgetQAError("未安装 llama-cpp：pip install 'budget-qa[llamacpp]' llama-index-llms-llama-cpp",
                                "llama-cpp is not installed: pip install 'budget-qa[llamacpp]' llama-index-llms-llama-cpp") from error
        if not Path(settings.llm_gguf_path).is_file():
            raise BudgetQAError("未找到 GGUF 模型文件：请设置 QA_LLM_GGUF_PATH", "GGUF model file not found: set QA_LLM_GGUF_PATH")
        return LlamaCPP(model_path=settings.llm_gguf_path, temperature=0.0, max_new_tokens=512, verbose=False)
    raise BudgetQAError(f"未知的引擎 {engine}", f"unknown engine {engine}")


def generate(engine: str, prompt: str) -> str:
    """Given an engine and a filled prompt, return the model's answer text."""
    from llama_index.core.llms import ChatMessage

    llm = language_model(engine)
    if engine == "openai":
        return llm.chat([ChatMessage(role="user", content=prompt)]).message.content or ""
    return llm.complete(prompt).text
