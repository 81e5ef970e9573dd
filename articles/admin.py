from django.contrib import admin

from .models import Article, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug", "path"]
    ordering = ["path"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "author", "status", "published_at", "comments_mode"]
    list_filter = ["status", "comments_mode", "section"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    list_select_related = ["section", "author"]
    autocomplete_fields = ["author"]
    raw_id_fields = []
    readonly_fields = ["created_at", "updated_at"]
