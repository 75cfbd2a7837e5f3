"""Korean for the knowledge base admin pages (list filters, new article, translations).

English is the msgid; `make_catalogs` merges this table into both catalogues.
"""

from __future__ import annotations

KB_ADMIN_KO = {
    "New article": "새 문서", "Category": "카테고리", "Sort": "정렬",
    "Language and address": "언어·주소순", "Recently changed": "최근 수정순",
    "Most helpful": "도움 됨 많은 순", "Least helpful": "도움 안 됨 많은 순",
    "No articles match.": "조건에 맞는 문서가 없습니다.", "Translation of": "번역 원문",
    "Address (slug)": "주소 (슬러그)",
    "Lowercase letters, digits and hyphens, e.g. delivery-delay":
        "영문 소문자, 숫자, 하이픈만 쓸 수 있어요. 예: delivery-delay",
    "Body (Markdown)": "본문 (마크다운)", "Create draft": "초안 만들기", "Languages": "언어",
    "Translate into %(locale)s": "%(locale)s 번역 만들기",
    "Add an image or file": "이미지·파일 넣기",
    "Show the chat widget and “Contact us” in the help center": "고객센터에 채팅 위젯과 ‘문의하기’ 보이기", "Import": "가져오기", "Import and export": "가져오기와 내보내기", "File": "파일",
    "Format": "형식", "FAQ CSV (question, answer, tags)": "자주 묻는 질문 CSV (question, answer, tags)",
    "Zendesk Help Center JSON": "Zendesk 헬프센터 JSON",
    "Export all articles (Markdown, zip)": "모든 문서 내보내기 (마크다운, zip)",
    "Created %(created)s, updated %(updated)s, unchanged %(unchanged)s.":
        "새로 만듦 %(created)s, 수정 %(updated)s, 변경 없음 %(unchanged)s.",
    "Publish later": "예약 게시",
    "Publishes by itself at %(when)s (%(zone)s)": "%(when)s (%(zone)s)에 자동으로 게시됩니다",
    "Cancel the schedule": "예약 취소", "Date and time (%(zone)s)": "날짜와 시각 (%(zone)s)",
    "Save and schedule": "저장하고 예약", "Scheduled %(when)s": "예약 %(when)s",
    "The latest saved version goes live then.": "그때 마지막으로 저장된 버전이 게시됩니다.",
    "What readers could not find (last 30 days)": "고객이 찾지 못한 검색어 (최근 30일)",
    "Markdown files in a zip (front matter: title, category, locale, slug)":
        "마크다운 파일 zip (머리말: title, category, locale, slug)",
    "Search with no result": "결과 없는 검색어", "Where": "어디서", "Times": "횟수",
    "Every search found something.": "결과 없는 검색이 없었어요.",
    "Votes per article are in the 👍 / 👎 column; sort by least helpful to see what to improve.":
        "문서별 평가는 👍 / 👎 열에 있어요. ‘도움 안 됨 많은 순’으로 정렬하면 고칠 문서가 먼저 보여요.",
}
KB_ADMIN_KO.update({  # the import form's progress
    "Sending the file…": "파일을 보내는 중…", "Importing and indexing…": "가져와서 색인하는 중…",
    "The file could not be sent; check the connection and try again.":
        "파일을 보내지 못했습니다. 연결을 확인하고 다시 시도하세요.",
})
KB_ADMIN_CODES = {  # article states and visibility, shown on the admin pages
    "kb:draft": ("초안", "Draft"), "kb:published": ("게시됨", "Published"),
    "kb:archived": ("보관됨", "Archived"), "kb:public": ("공개", "Public"),
    "kb:internal": ("상담원 전용", "Agents only"),
    "kb:help_center": ("고객센터 검색", "Help center search"), "kb:bot": ("챗봇", "Chatbot"),
}
